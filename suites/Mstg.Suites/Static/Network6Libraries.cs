using Mstg.Allure.Xunit.Attributes;

namespace Mstg.Suites.Static;

/// <summary>MSTG-NETWORK-6: the app only depends on up-to-date connectivity and security libraries.</summary>
[Trait("parentSuite", "Static analysis")]
[Trait("suite", "MSTG-NETWORK-6 Libraries")]
public class Network6Libraries
{
    [Theory(DisplayName = "Networking libraries are maintained and have no known advisory")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [MstgRequirement("MSTG-NETWORK-6", story: "LIB-VULNERABLE", severity: "critical", tags: "static")]
    public void Networking_libraries_are_current(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-6", RuleFamily.Library);
}
