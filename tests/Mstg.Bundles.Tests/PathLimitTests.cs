using System.Text;
using Mstg.Bundles.Paths;
using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Packaging;
using static Mstg.Bundles.Tests.Support.Packages;

namespace Mstg.Bundles.Tests;

/// <summary>
/// Entry names too long or too deep are skipped with a problem naming them, and the folder bookkeeping of the rest
/// costs memory in proportion to the names (it used to store every ancestor folder as a full path: 6.5 GB for
/// three 65 KB names). Memory is bounded by the bytes allocated on the opening thread, not by time.
/// </summary>
public sealed class PathLimitTests : IDisposable
{
    private const long AllocationBound = 64L << 20;
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    /// <summary>A 65 KB name of one-letter folders: about 32,700 levels, the worst case for per-ancestor strings.</summary>
    private static string DeepName(int index) =>
        $"{Main}/" + string.Concat(Enumerable.Repeat("a/", 32_750)) + $"f{index}";

    private string ThreeDeepEntries() =>
        Enumerable.Range(0, 3).Aggregate(new IpaBuilder().AddApp("Shop"), (b, i) => b.AddText(DeepName(i), "x"))
            .WriteIpa(_temp.File("deep.ipa"));

    private static (AppPackage Package, long Allocated) OpenMeasured(string path, BundleLimits limits)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var package = AppPackageReader.Open(path, limits);
        return (package, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Three_entries_with_65_KB_names_are_skipped_naming_each_and_cost_little_memory()
    {
        var ipa = ThreeDeepEntries();
        var (package, allocated) = OpenMeasured(ipa, BundleLimits.Default);
        using (package)
        {
            TestContext.Current.SendDiagnosticMessage($"opening 3 x 65 KB names allocated {allocated >> 20} MB");
            allocated.Should().BeLessThan(AllocationBound);
            package.Main.Path.Should().Be(Main);
            package.Problems.Should().HaveCount(3).And.OnlyContain(p =>
                p.Place.StartsWith($"entry {Main}/a/a/", StringComparison.Ordinal) && p.Place.EndsWith("...", StringComparison.Ordinal)
                && p.Problem.Contains("4096-byte path length limit"));
            package.Files.Files.Should().NotContain(f => f.Path.Length > 4096);
        }
    }

    [Fact]
    public void Folder_bookkeeping_is_linear_when_the_limits_are_lifted()
    {
        var ipa = ThreeDeepEntries();
        var (package, allocated) = OpenMeasured(ipa, new BundleLimits { MaxPathBytes = int.MaxValue, MaxPathDepth = int.MaxValue });
        using (package)
        {
            TestContext.Current.SendDiagnosticMessage($"keeping 3 x 65 KB names allocated {allocated >> 20} MB");
            allocated.Should().BeLessThan(AllocationBound, "each folder is stored once, under its parent");
            package.Problems.Should().BeEmpty();
            package.Main.Files.Select(f => f.Path).Should().Contain([DeepName(0), DeepName(1), DeepName(2)]);
        }
    }

    [Theory]
    [InlineData("a", 4096, true)]
    [InlineData("a", 4097, false)]
    [InlineData("é", 4096, true)] // 2 bytes each in UTF-8: the limit counts bytes, as PATH_MAX does
    [InlineData("é", 4098, false)]
    public void Path_length_limit_counts_utf8_bytes_and_is_inclusive(string letter, int bytes, bool kept)
    {
        var prefix = $"{Main}/";
        if ((bytes - prefix.Length) % Encoding.UTF8.GetByteCount(letter) != 0) prefix += "x";
        var name = prefix + string.Concat(Enumerable.Repeat(letter, (bytes - prefix.Length) / Encoding.UTF8.GetByteCount(letter)));
        Encoding.UTF8.GetByteCount(name).Should().Be(bytes);
        using var package = AppPackageReader.Open(new IpaBuilder().AddApp("Shop").AddText(name, "x").WriteIpa(_temp.File("long.ipa")));
        package.Files.Files.Any(f => f.Path == name).Should().Be(kept);
        package.Problems.Should().HaveCount(kept ? 0 : 1);
    }

    [Theory]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void Path_depth_limit_is_inclusive(int depth, bool kept)
    {
        // Payload/Shop.app/ is two levels; the file name is the last one.
        var name = $"{Main}/" + string.Concat(Enumerable.Repeat("d/", depth - 3)) + "file";
        using var package = AppPackageReader.Open(new IpaBuilder().AddApp("Shop").AddText(name, "x").WriteIpa(_temp.File("deep.ipa")));
        package.Files.Files.Any(f => f.Path == name).Should().Be(kept);
        if (!kept) package.Problems.Should().ContainSingle().Which.Problem.Should().Contain($"{depth} levels deep, past the 128-level");
    }

    [Fact]
    public void Main_app_whose_every_path_is_too_long_is_refused_saying_what_was_skipped()
    {
        var app = $"Payload/{new string('S', 4100)}.app";
        var ipa = new IpaBuilder().AddBundle(app).WriteIpa(_temp.File("long-app.ipa"));
        var open = () => AppPackageReader.Open(ipa);
        var error = open.Should().Throw<BundleFormatException>().Which;
        error.Problem.Should().Contain("no Payload/*.app bundle found").And.Contain("2 entries were skipped").And.Contain("path length limit");
    }

    [Fact]
    public void Folder_deeper_than_the_limit_is_skipped_with_everything_in_it()
    {
        var root = new IpaBuilder().AddApp("Shop").AddText($"{Main}/a/b/c/d/e/f.txt", "x").AddText($"{Main}/a/b/ok.txt", "x")
            .WriteAppFolder(_temp.File("unpacked"));
        using var package = AppPackageReader.Open(root, new BundleLimits { MaxPathDepth = 5 });
        package.Files.Files.Select(f => f.Path).Should().Contain("Shop.app/a/b/ok.txt").And.NotContain(p => p.Contains("/e/"));
        package.Problems.Should().ContainSingle().Which.Should().Match<MstgInputException>(p =>
            p.Place == "Shop.app/a/b/c/d/e" && p.Problem.StartsWith("skipped with everything in it: path is 6 levels", StringComparison.Ordinal));
    }

    /// <summary>
    /// Random trees of folders (bundle folders among them) and random name lengths and depths around the limits:
    /// every entry is kept exactly when it is within both limits, otherwise a problem names it; and every kept file
    /// belongs to the deepest bundle above it, as a plain prefix search over the bundle paths says.
    /// </summary>
    [Fact]
    public void Property_entries_are_kept_iff_within_limits_and_owned_by_their_deepest_bundle()
    {
        var limits = new BundleLimits { MaxPathBytes = 160, MaxPathDepth = 12 };
        string[] segments = ["PlugIns", "Frameworks", "Watch", "X.appex", "Y.framework", "W.app", "res", "é", "a.b", "Z.appex"];
        var random = new Random(7_000_1);
        for (var round = 0; round < 60; round++)
        {
            var builder = new IpaBuilder().AddApp("Shop");
            var names = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                var depth = 1 + random.Next(16);
                var parts = Enumerable.Range(0, depth).Select(_ => random.Next(4) == 0
                    ? new string('q', 1 + random.Next(40)) : segments[random.Next(segments.Length)]);
                var name = $"{Main}/{string.Join('/', parts)}/f{i}";
                names.Add(name);
                builder.AddText(name, "x");
            }
            var ipa = builder.WriteIpa(_temp.File($"round{round}.ipa"));
            using var package = AppPackageReader.Open(ipa, limits);

            foreach (var name in names.Distinct())
            {
                var within = Encoding.UTF8.GetByteCount(name) <= limits.MaxPathBytes && name.Count(c => c == '/') + 1 <= limits.MaxPathDepth;
                var kept = package.Files.Files.Any(f => f.Path == name);
                kept.Should().Be(within, name);
                package.Problems.Any(p => p.Place == $"entry {PackagePath.Printable(name)}").Should().Be(!within, name);
            }
            foreach (var bundle in package.Bundles)
            {
                var expected = package.Files.Files.Where(f => DeepestBundle(package, f.Path) == bundle.Path).Select(f => f.Path);
                bundle.Files.Select(f => f.Path).Should().BeEquivalentTo(expected, $"round {round}, bundle {bundle.Path}");
            }
        }
    }

    private static string? DeepestBundle(AppPackage package, string path) =>
        package.Bundles.Select(b => b.Path).Where(b => path.StartsWith(b + "/", StringComparison.Ordinal)).MaxBy(b => b.Length);
}
