using Mstg.Allure.Xunit.Attributes;

namespace Mstg.Suites.Static;

/// <summary>MSTG-NETWORK-3: the app verifies the X.509 certificate of the remote endpoint.</summary>
[Trait("parentSuite", "Static analysis")]
[Trait("suite", "MSTG-NETWORK-3 Endpoint identity")]
public class Network3EndpointIdentity
{
    [Theory(DisplayName = "ATS is in effect (SDK iOS 9 or later)")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [MstgRequirement("MSTG-NETWORK-3", story: "MASTG-TEST-0067", severity: "critical", tags: "static")]
    public void Ats_is_in_effect(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-3", RuleFamily.Ats);

    [Theory(DisplayName = "Server trust evaluation is not bypassed")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [MstgRequirement("MSTG-NETWORK-3", story: "MASTG-TEST-0396", severity: "blocker", tags: "static")]
    public void Server_trust_is_evaluated(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-3", RuleFamily.Binary);
}
