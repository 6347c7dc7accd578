using Mstg.Allure.Domain;
using Mstg.Allure.Model;
using Mstg.Allure.Xunit.Mapping;
using Xunit.v3;

namespace Mstg.Allure.Xunit.Attributes;

/// <summary>
/// Tags a test with the requirement it verifies. It is an xUnit trait attribute, so the same data reaches TRX and
/// test-explorer filters as traits and the Allure report as labels: epic = MASVS control, feature = MSTG
/// requirement, story = MASTG test or rule id, plus severity, tags (static/dynamic/server/L1/L2) and links to
/// the MAS site; and the filter traits <c>Requirement</c> (the MSTG id), <c>Kind</c> (static, dynamic, server, manual,
/// from the tags) and <c>Level</c> (L2 when the tags say L2, else L1). Example:
/// <c>[MstgRequirement("MSTG-NETWORK-1", story: "MASTG-TEST-0322", severity: "critical", tags: "static,L1")]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class MstgRequirementAttribute(
    string mstgId,
    string? masvs = null,
    string? story = null,
    string severity = SeverityNames.Normal,
    string tags = "") : Attribute, ITraitAttribute
{
    public const string RequirementTrait = "Requirement", KindTrait = "Kind", LevelTrait = "Level";

    /// <summary>Tags that say how a requirement is tested; each becomes a <c>Kind</c> trait as well.</summary>
    public static readonly IReadOnlyList<string> Kinds = [.. Enum.GetValues<CheckKind>().Select(k => k.Name()), "manual"];

    public string MstgId { get; } = mstgId;

    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits()
    {
        var traits = new List<KeyValuePair<string, string>>();
        var masvsId = masvs ?? MstgLinks.MasvsFor(MstgId);
        if (masvsId is not null)
        {
            traits.Add(new(LabelNames.Epic, masvsId));
            traits.Add(new(TraitMapping.LinkTrait, $"{masvsId}|{MstgLinks.MasvsControl(masvsId)}"));
        }
        traits.Add(new(LabelNames.Feature, MstgId));
        if (!string.IsNullOrWhiteSpace(story))
        {
            traits.Add(new(LabelNames.Story, story));
            if (story.StartsWith("MASTG-TEST-", StringComparison.OrdinalIgnoreCase))
                traits.Add(new(TraitMapping.TmsTrait, $"{story}|{MstgLinks.MastgTest(story)}"));
        }
        traits.Add(new(LabelNames.Severity, severity));
        var tagList = tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var tag in tagList)
            traits.Add(new(LabelNames.Tag, tag));
        // The traits users filter on: dotnet test --filter "Requirement=MSTG-NETWORK-4", "Kind=static", "Level=L1".
        traits.Add(new(RequirementTrait, MstgId));
        foreach (var kind in tagList.Where(t => Kinds.Contains(t, StringComparer.OrdinalIgnoreCase)))
            traits.Add(new(KindTrait, kind.ToLowerInvariant()));
        traits.Add(new(LevelTrait, tagList.Contains("L2", StringComparer.OrdinalIgnoreCase) ? "L2" : "L1"));
        return traits;
    }

    /// <summary>
    /// The traits of one suite check, all read from <see cref="RequirementTable"/>: epic and link from the requirement's
    /// MASVS control, feature from its MSTG id, story and severity from the check, tags from the check's kind, the manual
    /// flag and the requirement's level (<c>L2</c> when it is only required at L2). What the data-driven suites put on each row.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> TraitsFor(RequirementDescriptor requirement, SuiteCheck check)
    {
        List<string> tags = [check.Kind.Name()];
        if (check.Manual) tags.Add("manual");
        if (requirement.Level == Profile.L2) tags.Add(requirement.LevelName);
        return new MstgRequirementAttribute(requirement.MstgId, requirement.MasvsId, check.Story, SeverityNames.From(check.Severity), string.Join(",", tags))
            .GetTraits().ToList();
    }
}

/// <summary>
/// Tags a test with one rule of <see cref="Mstg.RuleCatalog"/>: the requirement mapping, severity and MASTG test
/// come from the catalogue, so the report cannot drift from what the analyser declares.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class MstgRuleAttribute(string ruleId, string tags = "") : Attribute, ITraitAttribute
{
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits()
    {
        var rule = RuleCatalog.Get(ruleId);
        var traits = new MstgRequirementAttribute(rule.MstgId, rule.MasvsId, ruleId, SeverityNames.From(rule.Severity), tags)
            .GetTraits().ToList();
        foreach (var test in rule.MastgTests)
            traits.Add(new(TraitMapping.TmsTrait, $"{test}|{MstgLinks.MastgTest(test)}"));
        return traits;
    }
}

/// <summary>Adds a link (also a trait "link"/"issue"/"tms" with value <c>name|url</c>).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class AllureLinkAttribute(string name, string url, LinkType type = LinkType.Link) : Attribute, ITraitAttribute
{
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() =>
        [new(type.ToString().ToLowerInvariant(), $"{name}|{url}")];
}

/// <summary>
/// Tags a test with the <see cref="SuiteCheck"/> of <see cref="RequirementTable"/> for one requirement and kind (the dynamic
/// suite's theory per requirement): the same traits <see cref="MstgRequirementAttribute.TraitsFor"/> gives the static
/// suite's rows, so story, severity, tags and level are written once, in the table.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class MstgSuiteCheckAttribute(string mstgId, CheckKind kind) : Attribute, ITraitAttribute
{
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits()
    {
        var requirement = RequirementTable.Get(mstgId);
        var check = requirement.Checks.SingleOrDefault(c => c.Kind == kind)
            ?? throw new InvalidOperationException($"RequirementTable has no single {kind.Name()} check for {mstgId}: add one row (src/Mstg.Core/Requirements/RequirementTable.cs).");
        return MstgRequirementAttribute.TraitsFor(requirement, check);
    }
}
