using Mstg.ReferenceTargets.Appium;
using Mstg.ReferenceTargets.Backend;

// One reference backend and one real Appium server for the whole assembly; each test adds its own clients.
[assembly: AssemblyFixture(typeof(ReferenceBackendFixture))]
[assembly: AssemblyFixture(typeof(AppiumServerFixture))]
