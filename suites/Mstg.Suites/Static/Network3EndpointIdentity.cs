namespace Mstg.Suites.Static;

/// <summary>MSTG-NETWORK-3: the app verifies the X.509 certificate of the remote endpoint.</summary>
[Trait("epic", "MASVS-NETWORK-1")]
[Trait("feature", "MSTG-NETWORK-3")]
[Trait("tag", "static")]
[Trait("parentSuite", "Static analysis")]
[Trait("suite", "MSTG-NETWORK-3 Endpoint identity")]
public class Network3EndpointIdentity
{
    [Theory(DisplayName = "ATS is in effect (SDK iOS 9 or later)")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [Trait("story", "MASTG-TEST-0067")]
    [Trait("severity", "critical")]
    public void Ats_is_in_effect(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-3", RuleFamily.Ats);

    [Theory(DisplayName = "Server trust evaluation is not bypassed")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [Trait("story", "MASTG-TEST-0396")]
    [Trait("severity", "blocker")]
    public void Server_trust_is_evaluated(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-3", RuleFamily.Binary);
}
