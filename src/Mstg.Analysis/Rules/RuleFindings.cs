namespace Mstg.Analysis.Rules;

/// <summary>
/// Builds findings for the binary, library, bundle-file, channel and pinning rules so that every one carries the
/// catalogue severity, the bundle path and a location in the same shape.
/// </summary>
internal static class RuleFindings
{
    public static Finding Create(BundleContext context, string ruleId, Verdict verdict, string message, string location,
        string? evidence = null, string? domain = null) => new()
    {
        RuleId = ruleId,
        Verdict = verdict,
        // Pass, Skipped and Info carry no risk; everything else takes the catalogue's severity for the rule.
        Severity = verdict is Verdict.Pass or Verdict.Skipped or Verdict.Info ? Severity.Info : RuleCatalog.Get(ruleId).Severity,
        Message = message,
        Bundle = context.Bundle.Path,
        Location = location,
        Domain = domain,
        Evidence = evidence,
    };

    /// <summary>Joins evidence lines, keeping at most <paramref name="max"/> and saying how many were left out.</summary>
    public static string JoinEvidence(IEnumerable<string> lines, int max = 20)
    {
        var list = lines.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count <= max) return string.Join("\n", list);
        return string.Join("\n", list.Take(max)) + $"\n… and {list.Count - max} more";
    }
}
