namespace Mstg.Analysis.Rules;

/// <summary>Collects findings with the shared fields filled in.</summary>
internal sealed class FindingSink(string bundle, string plistName)
{
    public string PlistName => plistName;
    public List<Finding> Items { get; } = [];

    public void Add(string ruleId, string keyPath, string? domain, string evidence, string message, Verdict? verdict = null, Severity? severity = null) =>
        AddAt(ruleId, $"{plistName}:{keyPath}", domain, evidence, message, verdict, severity);

    public void AddAt(string ruleId, string location, string? domain, string evidence, string message, Verdict? verdict = null, Severity? severity = null)
    {
        var rule = RuleCatalog.Get(ruleId);
        Items.Add(new Finding
        {
            RuleId = ruleId, Verdict = verdict ?? rule.DefaultVerdict, Severity = severity ?? rule.Severity,
            Bundle = bundle, Location = location, Domain = domain, Evidence = evidence, Message = message,
        });
    }
}
