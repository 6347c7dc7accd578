namespace Mstg.Plist.Tests.Differential;

/// <summary>
/// Runs the whole corpus once: our XML read, plistutil XML→binary, our binary read, plistutil binary→XML, our read
/// of that. The two independent paths (our XML reader; libplist's XML reader + our binary reader) must agree.
/// </summary>
public sealed class CorpusDifferentialRun : IDisposable
{
    public enum Outcome { Compared, OursRejects, PlistutilRejects }

    public sealed record FileResult(string RelativePath, Outcome Outcome, string Detail, bool BinaryEqual, bool XmlRoundTripEqual);

    private readonly string _work = Path.Combine(Path.GetTempPath(), "mstg-plist-diff-" + Guid.NewGuid().ToString("N"));

    public CorpusDifferentialRun()
    {
        Directory.CreateDirectory(_work);
        Results = TestPaths.CorpusPlists.Select((path, i) => Run(path, i)).ToDictionary(r => r.RelativePath);
    }

    public IReadOnlyDictionary<string, FileResult> Results { get; }

    private FileResult Run(string path, int number)
    {
        string relative = Path.GetRelativePath(TestPaths.RepoRoot, path);
        PlistNode fromXml;
        try
        {
            var doc = PlistReader.ReadFile(path);
            doc.Format.Should().Be(PlistFormat.Xml);
            fromXml = doc.Root;
        }
        catch (PlistFormatException e)
        {
            return new FileResult(relative, Outcome.OursRejects, e.Message, false, false);
        }

        string bin = Path.Combine(_work, $"{number}.bplist"), back = Path.Combine(_work, $"{number}.xml");
        var toBinary = Plistutil.Convert(path, bin, "bin");
        if (!toBinary.Ok) return new FileResult(relative, Outcome.PlistutilRejects, toBinary.Reason, false, false);

        var binaryDoc = PlistReader.ReadFile(bin);
        binaryDoc.Format.Should().Be(PlistFormat.Binary, "plistutil -f bin writes bplist00");
        bool binaryEqual = binaryDoc.Root.ContentEquals(fromXml);

        var toXml = Plistutil.Convert(bin, back, "xml");
        if (!toXml.Ok) return new FileResult(relative, Outcome.PlistutilRejects, "binary→XML: " + toXml.Reason, binaryEqual, false);
        bool xmlEqual = PlistReader.ReadFile(back).Root.ContentEquals(fromXml);

        return new FileResult(relative, Outcome.Compared, "", binaryEqual, xmlEqual);
    }

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }
}

public class CorpusDifferentialTests(CorpusDifferentialRun run) : IClassFixture<CorpusDifferentialRun>
{
    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in TestPaths.CorpusPlists) data.Add(Path.GetRelativePath(TestPaths.RepoRoot, path));
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Binary_twin_made_by_plistutil_reads_the_same_as_the_xml(string relativePath)
    {
        var result = run.Results[relativePath];
        switch (result.Outcome)
        {
            case CorpusDifferentialRun.Outcome.OursRejects:
                // Only the two build templates are not plists; anything else our reader refuses is a bug.
                relativePath.Should().ContainAny("openfl__lime", "godotengine__godot");
                Assert.Skip($"not a plist (template), our reader refuses it: {result.Detail}");
                break;
            case CorpusDifferentialRun.Outcome.PlistutilRejects:
                Assert.Skip($"plistutil rejects it: {result.Detail}");
                break;
            default:
                result.BinaryEqual.Should().BeTrue("our binary read of plistutil's conversion must equal our XML read");
                result.XmlRoundTripEqual.Should().BeTrue("plistutil's XML rendering of the binary must read back the same");
                break;
        }
    }

    [Fact]
    public void Summary_counts()
    {
        var results = run.Results.Values.ToList();
        int parsed = results.Count(r => r.Outcome != CorpusDifferentialRun.Outcome.OursRejects);
        int compared = results.Count(r => r.Outcome == CorpusDifferentialRun.Outcome.Compared);
        var output = TestContext.Current.TestOutputHelper!;
        output.WriteLine($"corpus files: {results.Count}, parsed by our XML reader: {parsed}, " +
                         $"compared with plistutil twins: {compared} files = {compared * 2} pairs (XML↔binary, XML↔XML round trip)");
        foreach (var r in results.Where(r => r.Outcome != CorpusDifferentialRun.Outcome.Compared))
            output.WriteLine($"  {r.Outcome}: {r.RelativePath}: {r.Detail}");

        results.Count(r => r.Outcome == CorpusDifferentialRun.Outcome.OursRejects).Should().Be(2, "only the lime and godot templates");
        compared.Should().BeGreaterThanOrEqualTo(38, "plistutil accepts the well-formed corpus");
        results.Where(r => r.Outcome == CorpusDifferentialRun.Outcome.Compared)
            .Should().OnlyContain(r => r.BinaryEqual && r.XmlRoundTripEqual);
    }
}
