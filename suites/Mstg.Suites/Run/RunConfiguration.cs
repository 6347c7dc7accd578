using Mstg.Allure.Categories;
using Mstg.Allure.Runtime;
using Mstg.Suites.Static;

namespace Mstg.Suites.Run;

/// <summary>
/// The one test that fails when the run cannot test anything: no app configured (a typo in a CI variable must not
/// give a green run), an app that cannot be read, or a bad profile. It fails once, with one line and no stack trace,
/// as an environment problem (Allure: broken, category "Environment problem"); the requirement tests skip as not tested.
/// When the run is fine it passes and shows what was tested.
/// </summary>
[Trait("parentSuite", "Run")]
[Trait("suite", "Run configuration")]
// Its own branch of the Behaviors tree, beside the MASVS controls.
[Trait("epic", "Run")]
[Trait("feature", "Run configuration")]
[AppIdentity]
public class RunConfiguration
{
    [Fact(DisplayName = "Run configuration: an app is configured and can be read")]
    public void An_app_is_configured_and_can_be_read()
    {
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine(RunDescription.Line(RunFilter.Find()));
        foreach (var (key, value) in RunDescription.EnvironmentEntries())
        {
            output?.WriteLine($"  {key}: {value}");
            // The device is a parameter of every result already (Mstg.Allure.Devices.RunDevice).
            if (key != Mstg.Allure.Devices.RunDevice.LabelName) AllureApi.Parameter(key, value, excluded: true);
        }
        if (RunDescription.Problem is { } problem)
            throw new SuiteConfigurationException(MstgCategories.Tag(MstgCategories.Environment, problem));
        if (SuiteApps.All.Count == 0) output?.WriteLine($"No app configured; {Configuration.SuiteSettings.AllowNoAppVariable}=1 allows it.");
    }
}

/// <summary>
/// The run is misconfigured or the app unreadable: not a product defect (Allure: broken, not failed). It carries no
/// stack trace because the place in our code says nothing; the message says what to fix.
/// </summary>
public sealed class SuiteConfigurationException(string message) : Exception(message)
{
    public override string? StackTrace => null;
}
