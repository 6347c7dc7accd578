// The one line a test assembly needs to produce Allure results.
[assembly: Xunit.TestFramework(typeof(Mstg.Allure.Xunit.AllureTestFramework))]
