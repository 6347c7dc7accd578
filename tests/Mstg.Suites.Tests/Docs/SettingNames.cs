using System.Text.RegularExpressions;

namespace Mstg.Suites.Tests.Docs;

/// <summary>
/// The MSTG_* settings as the code names them and as docs/configuration.md lists them. In the code every setting is a
/// string literal (<c>public const string AppVariable = "MSTG_APP"</c>, or inline as in <c>SuiteSettings.Read("MSTG_DRIVER")</c>),
/// so a literal that starts with <c>MSTG_</c> is a setting; one that ends with <c>_</c> is a prefix
/// (<c>MSTG_ALLURE_ENV_</c>, <c>MSTG_DEFAULT_</c>), written <c>MSTG_ALLURE_ENV_&lt;name&gt;</c> in the doc.
/// </summary>
public static partial class SettingNames
{
    /// <summary>Where settings are read: the product, the suites and the fixtures (the fuzz seed). Tests only set them.</summary>
    public static readonly IReadOnlyList<string> CodeFolders = ["src", "suites", "fixtures"];

    /// <summary>Every MSTG_* literal in the C# sources under <see cref="CodeFolders"/> (build output excluded).</summary>
    public static IReadOnlySet<string> FromCode(string root)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in CodeFolders)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal)) continue;
                foreach (Match m in CodeLiteral().Matches(File.ReadAllText(file)))
                    if (m.Groups[1].Value != "MSTG_") names.Add(m.Groups[1].Value); // "MSTG_" alone slices names, it is not a setting
            }
        return names;
    }

    /// <summary>The settings of the "Every setting" table: the first cell of each row, a prefix written as <c>MSTG_X_&lt;name&gt;</c>.</summary>
    public static IReadOnlySet<string> FromConfigurationDoc(string markdown)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var inTable = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal)) inTable = line.TrimEnd() == "## Every setting";
            if (!inTable || !line.StartsWith("| `MSTG_", StringComparison.Ordinal)) continue;
            var cell = line.Split('|', StringSplitOptions.TrimEntries)[1];
            var m = DocName().Match(cell);
            if (m.Success) names.Add(m.Groups["prefix"].Success ? m.Groups["prefix"].Value : m.Groups["name"].Value);
        }
        return names;
    }

    /// <summary>What the doc lacks and what it lists that the code does not read: both must be empty.</summary>
    public static (IReadOnlyList<string> MissingFromDoc, IReadOnlyList<string> NotInCode) Compare(IReadOnlySet<string> code, IReadOnlySet<string> doc) =>
        (code.Except(doc).Order(StringComparer.Ordinal).ToList(), doc.Except(code).Order(StringComparer.Ordinal).ToList());

    /// <summary>
    /// Is <paramref name="name"/> a setting the code reads: itself, an instance of a prefix (<c>MSTG_ALLURE_ENV_device</c>),
    /// or a runsettings default of a known setting (<c>MSTG_DEFAULT_APP</c> for <c>MSTG_APP</c>)?
    /// </summary>
    public static bool IsKnown(string name, IReadOnlySet<string> code)
    {
        if (name.EndsWith('_')) return name == "MSTG_" || code.Contains(name); // a prefix mentioned as such (MSTG_DEFAULT_*)
        if (code.Contains(name)) return true;
        const string defaults = "MSTG_DEFAULT_";
        if (name.StartsWith(defaults, StringComparison.Ordinal)) return code.Contains("MSTG_" + name[defaults.Length..]);
        return code.Any(p => p.EndsWith('_') && p != defaults && name.Length > p.Length && name.StartsWith(p, StringComparison.Ordinal));
    }

    [GeneratedRegex("\"(MSTG_[A-Z0-9_]*)\"")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex(@"^`(?:(?<prefix>MSTG_[A-Z0-9_]*_)<[A-Za-z]+>|(?<name>MSTG_[A-Z0-9_]*[A-Z0-9]))`$")]
    private static partial Regex DocName();
}
