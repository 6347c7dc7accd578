// Every test of the suites writes an Allure result (docs/allure.md); results go to MSTG_ALLURE_RESULTS.
[assembly: Xunit.TestFramework(typeof(Mstg.Allure.Xunit.AllureTestFramework))]
// Names the app in the Allure environment panel before the recorder writes it.
[assembly: Xunit.v3.TestPipelineStartup(typeof(Mstg.Suites.Run.RunStartup))]
// Prints the start-of-run line and the closing outcome, and writes mstg-run.json.
[assembly: Xunit.AssemblyFixture(typeof(Mstg.Suites.Run.RunReport))]
// One scan per configured app, shared by every static test (constructor injection, not a static cache).
[assembly: Xunit.AssemblyFixture(typeof(Mstg.Suites.Static.StaticScans))]
// The dynamic suite's proxy, app and condition windows for the whole run (started on first use).
[assembly: Xunit.AssemblyFixture(typeof(Mstg.Suites.Dynamic.DynamicRun))]
// One probe of the configured server endpoints per run, shared by every server row (suites/Mstg.Suites/Server).
[assembly: Xunit.AssemblyFixture(typeof(Mstg.Suites.Server.ServerProbes))]
