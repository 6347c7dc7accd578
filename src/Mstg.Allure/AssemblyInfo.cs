namespace Mstg.Allure;
