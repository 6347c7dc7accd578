// Every test of the suites writes an Allure result (docs/allure.md); results go to MSTG_ALLURE_RESULTS.
[assembly: Xunit.TestFramework(typeof(Mstg.Allure.Xunit.AllureTestFramework))]
