using System.Text.Json;
using Mstg.Analysis.Ats;
using Mstg.Analysis.Pinning;
using Mstg.Analysis.Rules;
using Mstg.Plist;

namespace Mstg.Analysis.Tests.Ats;

/// <summary>
/// Runs the ATS and pinning rules over every real plist in tests/corpus and compares with corpus-expected.json,
/// which was written by reading each plist against Apple's key reference (see docs/rules.md, ATS section "Corpus").
/// </summary>
public class CorpusTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string Root = Mstg.Fixtures.RepositoryLayout.Root;
    private static readonly string Corpus = Path.Combine(Root, "tests", "corpus");
    private static readonly Dictionary<string, JsonElement> Expected = LoadExpected();

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in CorpusFiles()) data.Add(file);
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Rules_match_the_expected_verdicts(string file)
    {
        Expected.Should().ContainKey(file, "every corpus plist needs a hand-written expectation");
        var expected = Expected[file];
        var path = Path.Combine(Corpus, file);

        if (expected.ValueKind == JsonValueKind.Object)
        {
            var read = () => PlistReader.ReadFile(path);
            read.Should().Throw<MstgInputException>("{0} is expected to be rejected: {1}", file, expected.GetProperty("error").GetString());
            return;
        }

        var info = (PlistDict)PlistReader.ReadFile(path).Root;
        var findings = AtsRules.Evaluate(info, BundleTarget.Read(info), file)
            .Concat(PinningConfigRules.Evaluate(info, Now, file)).ToList();
        var actual = InfoPlists.Ids(findings);
        actual.Should().Equal(expected.EnumerateArray().Select(e => e.GetString()!).OrderBy(s => s, StringComparer.Ordinal),
            "findings for {0} were:\n{1}", file, string.Join("\n", findings));

        foreach (var f in findings)
        {
            f.Bundle.Should().Be(file);
            f.Location.Should().StartWith("Info.plist:");
            f.Message.Should().NotBeNullOrWhiteSpace();
            f.Evidence.Should().NotBeNullOrWhiteSpace();
            RuleCatalog.Get(f.RuleId).Family.Should().BeOneOf(RuleFamily.Ats, RuleFamily.Pinning);
        }
    }

    /// <summary>
    /// Issue 8: which corpus plists fail MSTG-NETWORK-2's ATS test. Since rules that switch ATS off count under
    /// MSTG-NETWORK-2 too (RuleDescriptor.AlsoCounts), files with NSAllowsArbitraryLoads in effect, …InWebContent or
    /// …ForMedia fail it now, not only files with weak TLS or no forward secrecy. The reason for every file, and whether
    /// the verdict changed, is written in corpus-expected.json under "_network2_fails".
    /// </summary>
    [Fact]
    public void Network2_ats_verdicts_match_the_expected_reading()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "tests", "Mstg.Analysis.Tests", "Ats", "corpus-expected.json")));
        var expected = doc.RootElement.GetProperty("_network2_fails").EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('_')).ToList();
        var rules = RuleCatalog.For("MSTG-NETWORK-2", RuleFamily.Ats).Select(r => r.Id).ToHashSet();
        var failing = new List<string>();
        foreach (var file in CorpusFiles().Where(f => Expected[f].ValueKind == JsonValueKind.Array))
        {
            var info = (PlistDict)PlistReader.ReadFile(Path.Combine(Corpus, file)).Root;
            if (AtsRules.Evaluate(info, BundleTarget.Read(info), file).Any(f => f.Verdict == Verdict.Fail && rules.Contains(f.RuleId)))
                failing.Add(file);
        }
        failing.Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void Expectation_file_has_no_stale_entries() =>
        Expected.Keys.Should().BeEquivalentTo(CorpusFiles());

    [Fact]
    public void Corpus_shows_the_ats_policy_semantics_on_real_files()
    {
        // nextcloud's share extension: arbitrary loads with an empty NSExceptionDomains: every host is open.
        var nextcloud = Policy("infoplists/nextcloud__ios__iOSClient__Brand__Share.plist");
        nextcloud.IsCleartextAllowed("cloud.example.org").Should().BeTrue();
        // Signal: signal.org and its subdomains may use HTTP; amazonaws.com only drops forward secrecy.
        var signal = Policy("infoplists/signalapp__Signal-iOS__Signal__Signal-Info.plist");
        signal.IsCleartextAllowed("cdn.signal.org").Should().BeTrue();
        signal.IsCleartextAllowed("s3.amazonaws.com").Should().BeFalse();
        signal.RequiresForwardSecrecy("s3.amazonaws.com").Should().BeFalse();
        // MASTG-DEMO-0083: arbitrary loads ignored (finer keys present) so other hosts keep ATS.
        var demo = Policy("mastg-demos/MASTG-DEMO-0083/Info_reversed.plist");
        demo.IsCleartextAllowed("other.example.net").Should().BeFalse();
        demo.IsCleartextAllowed("httpbin.org").Should().BeTrue();
        demo.IsCleartextAllowed("other.example.net", traffic: AtsTraffic.WebContent).Should().BeTrue();
    }

    /// <summary>
    /// The "_verdicts" block of corpus-expected.json: findings whose verdict changed when the rules began to follow
    /// Apple's Security code, each with its reason written beside it in the data.
    /// </summary>
    [Fact]
    public void Changed_verdicts_match_the_expectations_and_their_reasons()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "tests", "Mstg.Analysis.Tests", "Ats", "corpus-expected.json")));
        var files = doc.RootElement.GetProperty("_verdicts").EnumerateObject().Where(p => !p.Name.StartsWith('_')).ToList();
        files.Should().NotBeEmpty();
        foreach (var file in files)
        {
            var info = (PlistDict)PlistReader.ReadFile(Path.Combine(Corpus, file.Name)).Root;
            var findings = AtsRules.Evaluate(info, BundleTarget.Read(info), file.Name).Concat(PinningConfigRules.Evaluate(info, Now, file.Name)).ToList();
            foreach (var expected in file.Value.EnumerateObject())
            {
                var values = expected.Value.EnumerateArray().Select(v => v.GetString()!).ToList();
                values[2].Should().NotBeNullOrWhiteSpace("every changed verdict carries its reason");
                var finding = findings.Where(f => InfoPlists.Key(f) == expected.Name).Should().ContainSingle("{0} in {1}", expected.Name, file.Name).Subject;
                finding.Verdict.ToString().Should().BeEquivalentTo(values[0], "{0} in {1}: {2}", expected.Name, file.Name, values[2]);
                finding.Severity.ToString().Should().BeEquivalentTo(values[1], "{0} in {1}: {2}", expected.Name, file.Name, values[2]);
            }
        }
    }

    /// <summary>
    /// Store builds carry binary Info.plists. Converting corpus files with libplist's plistutil (an independent tool)
    /// and scanning the binary form must give the same findings as the XML form.
    /// </summary>
    [Theory]
    [InlineData("mastg-demos/MASTG-DEMO-0083/Info_reversed.plist")]
    [InlineData("infoplists/Mangopay__cardregistration-ios-kit__MangopayDemoApp__MangopayDemoApp__Info.plist")]
    [InlineData("infoplists/signalapp__Signal-iOS__Signal__Signal-Info.plist")]
    [InlineData("infoplists/JakeHiggins__detox-trustkit-example__ios__example__Info.plist")]
    [InlineData("mastg-demos/MASTG-DEMO-0148/Info.plist")]
    public void Binary_form_made_by_plistutil_gives_the_same_findings(string file)
    {
        var tool = new[] { "/usr/bin/plistutil", "/usr/local/bin/plistutil" }.FirstOrDefault(File.Exists);
        if (tool is null) Assert.Skip("plistutil (libplist-utils) is not installed");

        var binary = Path.Combine(Path.GetTempPath(), $"mstg-ats-{Guid.NewGuid():N}.plist");
        try
        {
            Mstg.Fixtures.Processes.ExternalProcess.Run(tool, ["-i", Path.Combine(Corpus, file), "-o", binary, "-f", "bin"],
                new() { Timeout = TimeSpan.FromSeconds(30) }).EnsureSuccess();
            var document = PlistReader.ReadFile(binary);
            document.Format.Should().Be(PlistFormat.Binary);
            Scan((PlistDict)document.Root, file).Should().Equal(Scan((PlistDict)PlistReader.ReadFile(Path.Combine(Corpus, file)).Root, file));
        }
        finally
        {
            File.Delete(binary);
        }
    }

    private static IReadOnlyList<string> Scan(PlistDict info, string bundle) =>
        InfoPlists.Ids(AtsRules.Evaluate(info, BundleTarget.Read(info), bundle).Concat(PinningConfigRules.Evaluate(info, Now, bundle)));

    private static AtsPolicy Policy(string file) => AtsPolicy.Evaluate((PlistDict)PlistReader.ReadFile(Path.Combine(Corpus, file)).Root);

    private static IEnumerable<string> CorpusFiles() =>
        Directory.EnumerateFiles(Path.Combine(Corpus, "infoplists"), "*.plist")
            .Concat(Directory.EnumerateFiles(Path.Combine(Corpus, "mastg-demos"), "*.plist", SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(Corpus, p).Replace('\\', '/'))
            .OrderBy(p => p, StringComparer.Ordinal);

    private static Dictionary<string, JsonElement> LoadExpected()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "tests", "Mstg.Analysis.Tests", "Ats", "corpus-expected.json")));
        return doc.RootElement.EnumerateObject().Where(p => !p.Name.StartsWith('_')).ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
