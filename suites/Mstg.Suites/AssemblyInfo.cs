// Every test of the suites writes an Allure result (docs/allure.md); results go to MSTG_ALLURE_RESULTS.
[assembly: Xunit.TestFramework(typeof(Mstg.Allure.Xunit.AllureTestFramework))]
// Prints the start-of-run line and the closing outcome, and names the app in the Allure environment.
[assembly: Xunit.v3.TestPipelineStartup(typeof(Mstg.Suites.Run.RunStartup))]
