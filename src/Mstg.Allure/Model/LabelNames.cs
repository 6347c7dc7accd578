namespace Mstg.Allure.Model;

/// <summary>Label names with a meaning in Allure (grouping tabs, Timeline, TestOps identity).</summary>
public static class LabelNames
{
    public const string Epic = "epic", Feature = "feature", Story = "story";
    public const string ParentSuite = "parentSuite", Suite = "suite", SubSuite = "subSuite";
    public const string Severity = "severity", Tag = "tag", Owner = "owner", AllureId = "ALLURE_ID";
    public const string Host = "host", Thread = "thread", Language = "language", Framework = "framework";
    public const string TestClass = "testClass", TestMethod = "testMethod", Package = "package";

    /// <summary>Names that trait keys map onto directly; matching is case-insensitive so "Epic" and "epic" agree.</summary>
    public static readonly IReadOnlyList<string> Known =
        [Epic, Feature, Story, ParentSuite, Suite, SubSuite, Severity, Tag, Owner, AllureId, Host, Thread,
         Language, Framework, TestClass, TestMethod, Package, "layer", "lead", "AS_ID"];

    public static bool IsSuiteLabel(string name) => name is ParentSuite or Suite or SubSuite;

    /// <summary>The canonical spelling of a known label name, or the name unchanged.</summary>
    public static string Canonical(string name) =>
        Known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
}

/// <summary>Allure severities, lowest to highest is trivial → blocker.</summary>
public static class SeverityNames
{
    public const string Blocker = "blocker", Critical = "critical", Normal = "normal", Minor = "minor", Trivial = "trivial";

    /// <summary>Maps the product's finding severity onto Allure's scale.</summary>
    public static string From(Mstg.Severity severity) => severity switch
    {
        Mstg.Severity.Critical => Blocker,
        Mstg.Severity.High => Critical,
        Mstg.Severity.Medium => Normal,
        Mstg.Severity.Low => Minor,
        _ => Trivial,
    };
}
