using System.Text.Json;

namespace Mstg.Cli.Tests;

/// <summary>
/// <c>mstg scan</c> over every real Info.plist of the corpus: the findings it prints match the hand-written
/// expectations of tests/Mstg.Analysis.Tests/Ats/corpus-expected.json, and the exit code follows them
/// (2 for a file iOS would reject, 1 when a finding fails, else 0).
/// </summary>
public class CorpusScanTests
{
    private static readonly string Corpus = Mstg.Fixtures.RepositoryLayout.Corpus;
    private static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Mstg.Fixtures.RepositoryLayout.Root, "tests", "Mstg.Analysis.Tests", "Ats", "corpus-expected.json"))).RootElement;

    public static TheoryData<string> Files => new(Expected.EnumerateObject().Where(p => !p.Name.StartsWith('_')).Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Scan_prints_the_expected_findings_and_exit_code(string file)
    {
        var expected = Expected.GetProperty(file);
        var output = Path.Combine(Directory.CreateTempSubdirectory("mstg-corpus-").FullName, "scan.json");
        var (exit, _, error) = await CliRunner.Run("scan", Path.Combine(Corpus, file), "--format", "json", "--output", output);

        if (expected.ValueKind == JsonValueKind.Object)
        {
            exit.Should().Be(2);
            error.Should().Contain(file.Split('/').Last()).And.MatchRegex("line \\d+");
            return;
        }

        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var findings = json.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("verdict").GetString() != "pass" && f.GetProperty("ruleId").GetString() != RuleCatalog.PinNone)
            .Where(f => RuleCatalog.Get(f.GetProperty("ruleId").GetString()!).Family is RuleFamily.Ats or RuleFamily.Pinning)
            .ToList();
        findings.Select(Key).OrderBy(s => s, StringComparer.Ordinal)
            .Should().Equal(expected.EnumerateArray().Select(e => e.GetString()!).OrderBy(s => s, StringComparer.Ordinal));
        exit.Should().Be(findings.Any(f => f.GetProperty("verdict").GetString() == "fail") ? 1 : 0);
    }

    // Same identity as the ATS corpus test: key-level rules by key, domain rules by domain.
    private static string Key(JsonElement f)
    {
        var rule = f.GetProperty("ruleId").GetString()!;
        var location = f.GetProperty("location").GetString()!;
        var domain = f.TryGetProperty("domain", out var d) ? d.GetString() : null;
        var path = location[(location.IndexOf(':') + 1)..];
        var lastKey = domain is not null && path.EndsWith(domain, StringComparison.Ordinal) ? domain : path[(path.LastIndexOf('/') + 1)..];
        var keyLevel = rule is RuleCatalog.AtsUnknownKey or RuleCatalog.AtsLegacyKey or RuleCatalog.AtsInvalidValue or RuleCatalog.AtsUnresolvedVariable;
        return $"{rule}@{(keyLevel ? lastKey : domain ?? lastKey)}";
    }
}
