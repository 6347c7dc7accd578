using System.Text;
using Mstg.Fixtures.Fuzzing;
using Mstg.Plist.Tests.Binary;
using Mstg.Plist.Tests.Differential;
using Mstg.Plist.Tests.OpenStep;

namespace Mstg.Plist.Tests.Robustness;

/// <summary>
/// Seeded mutation runs over real inputs: the corpus as XML, its plistutil-made binary twins (plus a hand-built
/// binary with sets, UIDs and 128-bit ints), and the corpus written as OpenStep text. Every mutant must either
/// parse or fail with <see cref="PlistFormatException"/>. The fixed-seed runs repeat exactly on every build; the
/// random run adds mutants from a seed drawn per run (printed; replay with MSTG_FUZZ_SEED) within a time budget.
/// </summary>
public class MutationTests
{
    private const int Seed = 20261121;

    private static readonly string[] XmlTokens =
    [
        "<dict>", "</dict>", "<array>", "</array>", "<key>k</key>", "<key>", "<string>", "</string>", "<integer>0x",
        "<real>", "<date>", "<data>", "</data>", "<true/>", "<false />", "&amp;", "&", "&#0;", "&#xFFFF;", "<![CDATA[",
        "]]>", "<!--", "-->", "<?xml version=\"1.0\"?>", "<!DOCTYPE plist [<!ENTITY a \"b\">]>", "&a;", "<plist>", "\0", "\uFEFF",
    ];

    private static readonly string[] OpenStepTokens =
        ["{", "}", "(", ")", ";", "=", ",", "\"", "'", "\\", "\\U", "\\777", "<", ">", "<0f", "/*", "*/", "//", "\n", "$", "\uFEFF"];

    private static List<(string Name, byte[] Bytes)> XmlSeeds() =>
        TestPaths.CorpusPlists.Select(p => (Path.GetFileName(p), File.ReadAllBytes(p))).ToList();

    private static List<(string Name, PlistNode Tree)> ParsedCorpus()
    {
        var trees = new List<(string, PlistNode)>();
        foreach (var path in TestPaths.CorpusPlists)
        {
            try { trees.Add((Path.GetFileName(path), PlistReader.ReadFile(path).Root)); }
            catch (PlistFormatException) { }
        }
        return trees;
    }

    /// <summary>Made once per test run: the plistutil conversions are the slow part of the seeds.</summary>
    private static readonly Lazy<List<(string Name, byte[] Bytes)>> SharedBinarySeeds = new(BinarySeeds);

    private static List<(string Name, byte[] Bytes)> BinarySeeds()
    {
        var seeds = new List<(string, byte[])>();
        var work = Directory.CreateTempSubdirectory("mstg-plist-mut-");
        try
        {
            foreach (var (path, i) in TestPaths.CorpusPlists.Select((p, i) => (p, i)))
            {
                var bin = Path.Combine(work.FullName, $"{i}.bplist");
                if (Plistutil.Convert(path, bin, "bin").Ok) seeds.Add((Path.GetFileName(path) + ".bplist", File.ReadAllBytes(bin)));
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        var b = new BplistBuilder();
        int set = b.Set(b.Ascii("a"), b.Utf16("ключ"), b.Uid(3, 2));
        int big = b.Int(System.Numerics.BigInteger.Pow(2, 120), 16);
        int leaf = b.Data(new byte[40]);
        int shared = b.Array(leaf, leaf, b.Real32(1.5f), b.Date(DateTimeOffset.UnixEpoch), b.Utf8("ü"));
        seeds.Add(("hand-built", b.Build(b.Dict((b.Ascii("set"), set), (b.Ascii("big"), big), (b.Ascii("shared"), shared), (b.Ascii("again"), shared)))));
        return seeds;
    }

    [Fact]
    public void Binary_mutants_only_ever_raise_PlistFormatException()
    {
        var seeds = SharedBinarySeeds.Value;
        seeds.Count.Should().BeGreaterThan(30);
        var random = new Random(Seed);
        var mutator = new Mutator(random);
        var harness = new MutationHarness("binary");
        for (int i = 0; i < 3000; i++)
        {
            var (name, seed) = seeds[i % seeds.Count];
            var (bytes, what) = random.Next(2) == 0 ? mutator.BinaryStructure(seed) : mutator.Generic(seed, ["bplist00", "\0\0\0\0"]);
            harness.Check(bytes, $"#{i} {name}: {what}");
        }
        harness.AssertClean(3000);
    }

    [Fact]
    public void Xml_mutants_only_ever_raise_PlistFormatException()
    {
        var seeds = XmlSeeds();
        var random = new Random(Seed + 1);
        var mutator = new Mutator(random);
        var harness = new MutationHarness("xml");
        for (int i = 0; i < 2000; i++)
        {
            var (name, seed) = seeds[i % seeds.Count];
            var (bytes, what) = mutator.Generic(seed, XmlTokens);
            harness.Check(bytes, $"#{i} {name}: {what}");
        }
        harness.AssertClean(2000);
    }

    [Fact]
    public void OpenStep_mutants_only_ever_raise_PlistFormatException()
    {
        var seeds = ParsedCorpus().Select(t => (t.Name, Bytes: Encoding.UTF8.GetBytes(OpenStepWriter.Write(t.Tree)))).ToList();
        var random = new Random(Seed + 2);
        var mutator = new Mutator(random);
        var harness = new MutationHarness("openstep");
        for (int i = 0; i < 1000; i++)
        {
            var (name, seed) = seeds[i % seeds.Count];
            var (bytes, what) = mutator.Generic(seed, OpenStepTokens);
            harness.Check(bytes, $"#{i} {name}: {what}");
        }
        harness.AssertClean(1000);
    }

    /// <summary>Random mutants of all three formats, from a seed drawn for this run, up to 20,000 or 15 s.</summary>
    [Fact]
    public void Random_mutants_of_every_format_only_ever_raise_PlistFormatException()
    {
        (string Format, List<(string Name, byte[] Bytes)> Seeds, Func<Mutator, byte[], (byte[], string)> Mutate)[] formats =
        [
            ("binary", SharedBinarySeeds.Value, (m, seed) => m.BinaryStructure(seed)),
            ("binary", SharedBinarySeeds.Value, (m, seed) => m.Generic(seed, ["bplist00", "\0\0\0\0"])),
            ("xml", XmlSeeds(), (m, seed) => m.Generic(seed, XmlTokens)),
            ("openstep", ParsedCorpus().Select(t => (t.Name, Encoding.UTF8.GetBytes(OpenStepWriter.Write(t.Tree)))).ToList(),
                (m, seed) => m.Generic(seed, OpenStepTokens)),
        ];
        var report = new FuzzCampaign("plist", mutants: 20_000, budget: TimeSpan.FromSeconds(15)).Run((random, index) =>
        {
            var (format, seeds, mutate) = formats[random.Next(formats.Length)];
            var (name, seed) = seeds[random.Next(seeds.Count)];
            var (bytes, what) = mutate(new Mutator(random), seed);
            var source = $"fuzz-{index}";
            var read = Task.Run(() => PlistReader.Read(bytes, source));
            if (Task.WaitAny([read], TimeSpan.FromSeconds(30)) < 0)
                throw new TimeoutException($"{format} mutant of {name} ({what}): no result after 30 s (hang)");
            if (read.Exception?.InnerException is { } error)
            {
                if (error is not PlistFormatException refused)
                    throw new InvalidOperationException($"{format} mutant of {name} ({what}) raised {error.GetType().Name}", error);
                if (!refused.Message.StartsWith(source + ": ", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(refused.Problem))
                    throw new InvalidOperationException($"{format} mutant of {name} ({what}): error without source/problem: {refused.Message}");
                return $"{format} refused";
            }
            return $"{format} read";
        });
        report.FailureMessage.Should().BeNull();
        report.Tried.Should().BePositive();
    }
}
