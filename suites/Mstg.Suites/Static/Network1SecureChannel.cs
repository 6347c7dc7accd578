using Mstg.Allure.Xunit.Attributes;

namespace Mstg.Suites.Static;

/// <summary>MSTG-NETWORK-1: data is encrypted on the network using TLS, and the secure channel is used consistently.</summary>
[Trait("parentSuite", "Static analysis")]
[Trait("suite", "MSTG-NETWORK-1 Secure channel")]
public class Network1SecureChannel
{
    [Theory(DisplayName = "ATS does not allow cleartext traffic")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [MstgRequirement("MSTG-NETWORK-1", story: "MASTG-TEST-0322", severity: "critical", tags: "static")]
    public void Ats_does_not_allow_cleartext(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-1", RuleFamily.Ats);

    [Theory(DisplayName = "Binaries use no cleartext endpoints and no networking outside ATS")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [MstgRequirement("MSTG-NETWORK-1", story: "MASTG-TEST-0321", severity: "normal", tags: "static")]
    public void Binaries_do_not_use_cleartext(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-1", RuleFamily.Binary);
}
