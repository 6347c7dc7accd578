namespace Mstg;

/// <summary>Families group rules the way the compliance suite tests them (one test per family per requirement).</summary>
public enum RuleFamily
{
    Ats,
    Pinning,
    Binary,
    Bundle,
    Library,
    Channel,
}

/// <summary>Static description of a rule: identity, requirement mapping and documentation.</summary>
public sealed record RuleDescriptor(
    string Id,
    RuleFamily Family,
    string Title,
    Verdict DefaultVerdict,
    Severity Severity,
    string MstgId,
    string MasvsId,
    IReadOnlyList<string> MastgTests,
    string Rationale,
    string Source)
{
    /// <summary>Link to the first MASTG test page, for reports.</summary>
    public string? HelpUri => MastgTests.Count == 0 ? null : $"https://mas.owasp.org/MASTG/tests/ios/MASVS-NETWORK/{MastgTests[0]}/";
}
