namespace Mstg.Allure.Xunit;
