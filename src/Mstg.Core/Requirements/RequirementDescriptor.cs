namespace Mstg;

/// <summary>
/// One test a suite runs for a requirement: the rules of <see cref="Family"/> that count under the requirement, judged
/// together (any fail fails the test). The suites turn each into one theory row per app (static) or per target.
/// </summary>
/// <param name="Title">The test's display name (<c>ATS does not allow cleartext traffic</c>).</param>
/// <param name="Story">The Allure story: the MASTG test the check follows, or a rule id where no MASTG test fits.</param>
/// <param name="Manual">The verdict needs a reviewer's attestation (MSTG-NETWORK-5); the test is tagged <c>manual</c>.</param>
public sealed record SuiteCheck(CheckKind Kind, RuleFamily Family, string Title, string Story, Severity Severity, bool Manual = false);

/// <summary>
/// One MSTG-NETWORK requirement as everything reports it: its MASVS v2 control, MASTG tests, title, default severity,
/// level, failure category and the Allure names (epic = MASVS control, feature = MSTG id, suite = id and short name,
/// story per check). The counterpart of <see cref="RuleDescriptor"/>; both tables are documented in docs/rules.md.
/// </summary>
/// <param name="Name">Short name used in suite titles (<c>Secure channel</c>).</param>
/// <param name="Title">The requirement's wording, shortened (<c>Data is encrypted on the network using TLS …</c>).</param>
/// <param name="Level">The lowest MASVS level that requires it: pinning (MSTG-NETWORK-4) is L2, the rest L1.</param>
public sealed record RequirementDescriptor(
    string MstgId,
    string MasvsId,
    string Name,
    string Title,
    Profile Level,
    Severity Severity,
    IReadOnlyList<string> MastgTests,
    FailureCategory Category,
    IReadOnlyList<SuiteCheck> Checks)
{
    /// <summary>Allure epic: the MASVS control.</summary>
    public string Epic => MasvsId;

    /// <summary>Allure feature: the MSTG requirement id.</summary>
    public string Feature => MstgId;

    /// <summary>Allure suite: <c>MSTG-NETWORK-1 Secure channel</c>.</summary>
    public string Suite => $"{MstgId} {Name}";

    /// <summary>The MASVS control's page on the OWASP MAS site.</summary>
    public string Link => $"https://mas.owasp.org/MASVS/controls/{MasvsId}/";

    /// <summary><c>L1</c> or <c>L2</c>, as the <c>Level</c> trait and the Allure tag write it.</summary>
    public string LevelName => Level.ToString();

    /// <summary>Every rule whose findings count under this requirement (primary or <see cref="RuleDescriptor.AlsoCounts"/>).</summary>
    public IReadOnlyList<RuleDescriptor> Rules => RuleCatalog.Rules.Where(r => r.CountsUnder(MstgId)).ToList();
}
