using Mstg.Allure.Xunit.Attributes;

namespace Mstg.Suites.Static;

/// <summary>MSTG-NETWORK-4: the app pins the endpoint certificate or public key (required at L2).</summary>
[Trait("parentSuite", "Static analysis")]
[Trait("suite", "MSTG-NETWORK-4 Pinning")]
public class Network4Pinning
{
    [Theory(DisplayName = "Endpoint identity is pinned with valid pins and a backup")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [MstgRequirement("MSTG-NETWORK-4", story: "MASTG-TEST-0385", severity: "critical", tags: "static,L2")]
    public void Identity_is_pinned(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-4", RuleFamily.Pinning);

    [Theory(DisplayName = "Bundled certificates and client identities are safe")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [MstgRequirement("MSTG-NETWORK-4", story: "MASTG-TEST-0068", severity: "normal", tags: "static,L2")]
    public void Bundled_certificates_are_safe(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-4", RuleFamily.Bundle);
}
