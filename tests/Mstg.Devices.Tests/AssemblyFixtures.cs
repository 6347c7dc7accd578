// One real Appium server (npm appium 3.8.0 with the chromium and fake drivers) for the whole assembly; the fixture is
// shared with the reference-target tests (fixtures/Mstg.ReferenceTargets/Appium).
[assembly: AssemblyFixture(typeof(Mstg.ReferenceTargets.Appium.AppiumServerFixture))]
