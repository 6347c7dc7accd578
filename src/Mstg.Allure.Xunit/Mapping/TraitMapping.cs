using Mstg.Allure.Model;

namespace Mstg.Allure.Xunit.Mapping;

/// <summary>
/// xUnit traits become Allure labels, because traits are what xUnit already carries to every runner (TRX,
/// test explorer filters) — one attribute feeds both. Trait names that match an Allure label (epic, feature,
/// story, severity, tag, owner, parentSuite, suite, subSuite, ALLURE_ID, …) map to it case-insensitively; any
/// other trait becomes a label of its own name. Traits named link, issue or tms become links; their value is
/// either a URL or <c>name|url</c>.
/// </summary>
public static class TraitMapping
{
    public const string LinkTrait = "link", IssueTrait = "issue", TmsTrait = "tms";

    public static void Apply(IReadOnlyDictionary<string, IReadOnlyCollection<string>> traits, TestResult result)
    {
        foreach (var (name, values) in traits.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            foreach (var value in values.OrderBy(v => v, StringComparer.Ordinal))
            {
                if (TryLink(name, value) is { } link)
                {
                    if (!result.Links.Contains(link)) result.Links.Add(link);
                    continue;
                }
                var label = new Label(LabelNames.Canonical(name), value);
                if (!result.Labels.Contains(label)) result.Labels.Add(label);
            }
        }
    }

    public static Link? TryLink(string traitName, string value)
    {
        LinkType? type = traitName.ToLowerInvariant() switch
        {
            LinkTrait => LinkType.Link,
            IssueTrait => LinkType.Issue,
            TmsTrait => LinkType.Tms,
            _ => null,
        };
        if (type is null) return null;
        var bar = value.IndexOf('|');
        return bar < 0 ? new Link(value, value, type.Value) : new Link(value[..bar], value[(bar + 1)..], type.Value);
    }
}
