namespace Mstg;

/// <summary>
/// Families group rules the way the compliance suites test them (one test per family per requirement). Each family belongs
/// to one <see cref="CheckKind"/>: the first six are static, <see cref="Traffic"/> is dynamic, <see cref="Server"/> is server.
/// </summary>
public enum RuleFamily
{
    Ats,
    Pinning,
    Binary,
    Bundle,
    Library,
    Channel,
    /// <summary>What the app did through the interception proxy under each certificate condition.</summary>
    Traffic,
    /// <summary>What the app's server endpoints accept and serve (TLS versions, ciphers, certificate chain), and how that fits the app's ATS exceptions and pins.</summary>
    Server,
}

public static class RuleFamilies
{
    /// <summary>The kind of check a family's rules are.</summary>
    public static CheckKind Kind(this RuleFamily family) => family switch
    {
        RuleFamily.Traffic => CheckKind.Dynamic,
        RuleFamily.Server => CheckKind.Server,
        _ => CheckKind.Static,
    };
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

    /// <summary>Static, dynamic or server: follows the family (<see cref="RuleFamilies.Kind"/>).</summary>
    public CheckKind Kind => Family.Kind();

    /// <summary>Every requirement the rule counts under: the primary one first, then <see cref="AlsoCounts"/>.</summary>
    public IReadOnlyList<string> Requirements => [MstgId, .. AlsoCounts];

    /// <summary>Whether a finding of this rule is evidence for <paramref name="requirement"/> (an MSTG id).</summary>
    public bool CountsUnder(string requirement) =>
        MstgId == requirement || AlsoCounts.Contains(requirement, StringComparer.Ordinal);

    /// <summary>Link to the first MASTG test page, for reports.</summary>
    public string? HelpUri => MastgTests.Count == 0 ? null : $"https://mas.owasp.org/MASTG/tests/ios/MASVS-NETWORK/{MastgTests[0]}/";
}
