using Mstg.Allure.Xunit.Attributes;

namespace Mstg.Suites.Static;

/// <summary>MSTG-NETWORK-2: the TLS settings are in line with current best practices.</summary>
[Trait("parentSuite", "Static analysis")]
[Trait("suite", "MSTG-NETWORK-2 TLS settings")]
public class Network2TlsSettings
{
    [Theory(DisplayName = "ATS exceptions keep TLS 1.2 and forward secrecy")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [MstgRequirement("MSTG-NETWORK-2", story: "MASTG-TEST-0342", severity: "critical", tags: "static")]
    public void Ats_tls_exceptions_are_strong(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-2", RuleFamily.Ats);

    [Theory(DisplayName = "Code keeps the TLS minimum at 1.2 and embedded TLS stacks are known")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [MstgRequirement("MSTG-NETWORK-2", story: "MASTG-TEST-0343", severity: "critical", tags: "static")]
    public void Code_keeps_tls_best_practice(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-2", RuleFamily.Binary);
}
