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
    /// <summary>
    /// Further requirements the rule's findings count under, besides its primary <see cref="MstgId"/>. For example
    /// ATS-ARBITRARY-LOADS is primarily MSTG-NETWORK-1 (cleartext) but with ATS off there is no TLS floor either, so it
    /// also counts under MSTG-NETWORK-2. Empty for most rules.
    /// </summary>
    public IReadOnlyList<string> AlsoCounts { get; init; } = [];

    /// <summary>Every requirement the rule counts under: the primary one first, then <see cref="AlsoCounts"/>.</summary>
    public IReadOnlyList<string> Requirements => [MstgId, .. AlsoCounts];

    /// <summary>Whether a finding of this rule is evidence for <paramref name="requirement"/> (an MSTG id).</summary>
    public bool CountsUnder(string requirement) =>
        MstgId == requirement || AlsoCounts.Contains(requirement, StringComparer.Ordinal);

    /// <summary>Link to the first MASTG test page, for reports.</summary>
    public string? HelpUri => MastgTests.Count == 0 ? null : $"https://mas.owasp.org/MASTG/tests/ios/MASVS-NETWORK/{MastgTests[0]}/";
}
