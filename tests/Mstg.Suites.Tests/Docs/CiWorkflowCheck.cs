using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mstg.Suites.Tests.Docs;

/// <summary>
/// What can be checked of a GitHub Actions example without running it: it parses as YAML and has jobs with steps; every
/// runsettings profile and script it names exists in the repository; every MSTG_* setting it mentions is one the code
/// reads (<see cref="SettingNames.IsKnown"/>); a farm credential is only ever taken from <c>${{ secrets.… }}</c>.
/// Each problem is one line naming the file and the thing.
/// </summary>
public static partial class CiWorkflowCheck
{
    /// <summary>The credential variables of docs/devices.md: in a workflow they must come from the repository secrets.</summary>
    public static readonly IReadOnlyList<string> SecretVariables =
        ["BROWSERSTACK_USERNAME", "BROWSERSTACK_ACCESS_KEY", "SAUCE_USERNAME", "SAUCE_ACCESS_KEY", "LT_USERNAME", "LT_ACCESS_KEY"];

    public static IReadOnlyList<string> Problems(string name, string yaml, string repositoryRoot, IReadOnlySet<string> settings)
    {
        var problems = new List<string>();
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
                return [$"{name}: not one YAML document with a mapping at its root"];
            root = mapping;
        }
        catch (YamlException e)
        {
            return [$"{name}:{e.Start.Line}: not valid YAML: {e.Message}"];
        }

        if (Child(root, "jobs") is not YamlMappingNode jobs || jobs.Children.Count == 0)
            problems.Add($"{name}: no jobs");
        else
            foreach (var (key, job) in jobs.Children)
                if (job is not YamlMappingNode j || Child(j, "steps") is not YamlSequenceNode { Children.Count: > 0 })
                    problems.Add($"{name}: job '{key}' has no steps");

        foreach (var path in RunsettingsPath().Matches(yaml).Select(m => m.Value).Concat(ScriptPath().Matches(yaml).Select(m => m.Value)).Distinct())
            if (!File.Exists(Path.Combine(repositoryRoot, path)))
                problems.Add($"{name}: {path} does not exist in the repository");

        foreach (var setting in SettingToken().Matches(yaml).Select(m => m.Value).Distinct())
            if (!SettingNames.IsKnown(setting, settings))
                problems.Add($"{name}: {setting} is not a setting the code reads (docs/configuration.md)");

        foreach (var (key, value) in Mappings(root))
            if (key is YamlScalarNode { Value: { } variable } && SecretVariables.Contains(variable)
                && (value is not YamlScalarNode { Value: { } v } || v.Replace(" ", "", StringComparison.Ordinal) != $"${{{{secrets.{variable}}}}}"))
                problems.Add($"{name}:{key.Start.Line}: {variable} must come from ${{{{ secrets.{variable} }}}}, not from the file");
        return problems;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    /// <summary>Every key/value pair of every mapping in the document, depth first.</summary>
    private static IEnumerable<KeyValuePair<YamlNode, YamlNode>> Mappings(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var pair in mapping.Children)
                {
                    yield return pair;
                    foreach (var inner in Mappings(pair.Value)) yield return inner;
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var inner in sequence.Children.SelectMany(Mappings)) yield return inner;
                break;
        }
    }

    [GeneratedRegex(@"(?<![\w/.-])runsettings/[\w.-]+")]
    private static partial Regex RunsettingsPath();

    [GeneratedRegex(@"(?<![\w/.-])scripts/[\w/.-]+\.sh")]
    private static partial Regex ScriptPath();

    [GeneratedRegex(@"\bMSTG_[A-Za-z0-9_]*")]
    private static partial Regex SettingToken();
}
