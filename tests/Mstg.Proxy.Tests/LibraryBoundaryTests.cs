using System.Text.RegularExpressions;
using Mstg.Fixtures;

namespace Mstg.Proxy.Tests;

/// <summary>
/// The proxy library (pipeline, certificates, evidence, HTTP, hosting, ProxyHost) does not depend on the proxy's
/// command-line code: fixtures and suites use the library without any argument strings, and the command line can
/// change (System.CommandLine in Mstg.Cli) without touching it. Only Cli/ and the executable's entry may name Cli types.
/// </summary>
public sealed class LibraryBoundaryTests
{
    private static readonly string Source = Path.Combine(RepositoryLayout.Root, "src", "Mstg.Proxy");

    [Fact]
    public void Nothing_outside_Cli_names_the_command_line_code()
    {
        var cliTypes = Directory.GetFiles(Path.Combine(Source, "Cli"), "*.cs")
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\b(?:class|record|struct|interface|enum)\s+(\w+)").Select(m => m.Groups[1].Value))
            .Distinct().ToList();
        cliTypes.Should().Contain("ProxyCommand", "the scan must see the Cli types to be able to fail");
        var offenders = Directory.GetFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Cli{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && Path.GetFileName(f) != "Program.cs")
            .SelectMany(f =>
            {
                var text = File.ReadAllText(f);
                var hits = cliTypes.Where(t => Regex.IsMatch(text, $@"\b{t}\b")).Select(t => $"{Path.GetRelativePath(Source, f)}: {t}");
                return text.Contains("Mstg.Proxy.Cli", StringComparison.Ordinal) ? hits.Append($"{Path.GetRelativePath(Source, f)}: Mstg.Proxy.Cli") : hits;
            })
            .ToList();
        offenders.Should().BeEmpty();
    }
}
