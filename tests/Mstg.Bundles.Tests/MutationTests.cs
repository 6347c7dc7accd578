using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Fuzzing;
using Mstg.Fixtures.Packaging;

namespace Mstg.Bundles.Tests;

/// <summary>
/// Seeded byte flips and truncations of a small real IPA. Every mutant must either open (and every file read) or
/// fail with an <see cref="MstgInputException"/>; any other exception type, or a hang, fails the test. The fixed
/// seeds repeat exactly on every build; the random run adds mutants from a seed drawn per run (printed; replay
/// with MSTG_FUZZ_SEED) within a time budget.
/// </summary>
public sealed class MutationTests : IDisposable
{
    private const int Seed = 20261121;
    private const int Mutants = 1_200;
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    private static readonly BundleLimits SmallLimits = new()
    {
        MaxEntrySize = 1 << 20,
        MaxTotalSize = 4 << 20,
        MaxEntries = 1_000,
        MaxPlistSize = 256 << 10,
    };

    private byte[] OriginalIpa() => File.ReadAllBytes(Packages.Full()
        .AddSymlink($"{Packages.Main}/Alias", "Shop")
        .AddFile($"{Packages.Main}/stored.bin", new byte[300], System.IO.Compression.CompressionLevel.NoCompression)
        .WriteIpa(_temp.File("original.ipa")));

    [Fact(Timeout = 170_000)]
    public async Task Mutated_ipa_gives_an_input_error_or_a_package_never_another_exception()
    {
        var original = OriginalIpa();
        var (opened, refused, unexpected) = await Task.Run(() => Run(original), TestContext.Current.CancellationToken);

        TestContext.Current.SendDiagnosticMessage($"{Mutants} mutants of a {original.Length}-byte IPA: {opened} opened, {refused} refused");
        unexpected.Should().BeEmpty();
        opened.Should().BeGreaterThan(0, "some mutants only touch content that does not matter");
        refused.Should().BeGreaterThan(0, "most mutants break the structure");
    }

    private (int Opened, int Refused, List<string> Unexpected) Run(byte[] original)
    {
        var random = new Random(Seed);
        var path = _temp.File("mutant.ipa");
        int opened = 0, refused = 0;
        var unexpected = new List<string>();
        for (var i = 0; i < Mutants; i++)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var (mutant, description) = Mutate(original, random);
            File.WriteAllBytes(path, mutant);
            try
            {
                using var package = AppPackageReader.Open(path, SmallLimits);
                ReadEverything(package);
                opened++;
            }
            catch (MstgInputException)
            {
                refused++;
            }
            catch (Exception e)
            {
                unexpected.Add($"mutant {i} ({description}): {e.GetType().Name}: {e.Message}");
            }
        }
        return (opened, refused, unexpected);
    }

    /// <summary>Random mutants of the same IPA, from a seed drawn for this run, up to 3,000 or 15 s.</summary>
    [Fact(Timeout = 170_000)]
    public async Task Random_mutants_of_an_ipa_give_an_input_error_or_a_package_never_another_exception()
    {
        var original = OriginalIpa();
        var path = _temp.File("random-mutant.ipa");
        var report = await Task.Run(() => new FuzzCampaign("zip/IPA", mutants: 3_000, budget: TimeSpan.FromSeconds(15)).Run((random, index) =>
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var (mutant, description) = Mutate(original, random);
            File.WriteAllBytes(path, mutant);
            try
            {
                using var package = AppPackageReader.Open(path, SmallLimits);
                ReadEverything(package);
                return "opened";
            }
            catch (MstgInputException)
            {
                return "refused";
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{description}: {e.GetType().Name}: {e.Message}", e);
            }
        }), TestContext.Current.CancellationToken);

        report.FailureMessage.Should().BeNull();
        report.Tried.Should().BePositive();
    }

    [Fact(Timeout = 170_000)]
    public async Task Mutated_info_plists_inside_a_valid_zip_fail_typed_and_only_the_main_one_aborts()
    {
        var mainPlist = PlistXml.ToBinary(PlistXml.InfoPlist("Shop", "org.example.shop",
            extraDictBody: "<key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/></dict>"));
        var sharePlist = PlistXml.ToBinary(PlistXml.InfoPlist("Share", "org.example.share", "XPC!"));
        var (aborted, withProblems, clean, unexpected) = await Task.Run(() =>
        {
            var random = new Random(Seed + 1);
            int abort = 0, problems = 0, fine = 0;
            var odd = new List<string>();
            for (var i = 0; i < 300; i++)
            {
                var mutateMain = i % 2 == 0;
                var (main, _) = mutateMain ? Mutate(mainPlist, random) : (mainPlist, "");
                var (share, _) = mutateMain ? (sharePlist, "") : Mutate(sharePlist, random);
                var ipa = new IpaBuilder()
                    .AddFile($"{Packages.Main}/Info.plist", main).AddFile($"{Packages.Main}/Shop", [1])
                    .AddFile($"{Packages.Share}/Info.plist", share).AddFile($"{Packages.Share}/Share", [2])
                    .WriteIpa(_temp.File("plist-mutant.ipa"));
                try
                {
                    using var package = AppPackageReader.Open(ipa, SmallLimits);
                    if (package.Problems.Count > 0) problems++; else fine++;
                    if (package.Problems.Count > 0 && mutateMain) odd.Add($"mutant {i}: main plist problem recorded instead of thrown");
                }
                catch (BundleFormatException e) when (mutateMain && e.Place == $"entry {Packages.Main}/Info.plist")
                {
                    abort++;
                }
                catch (Exception e)
                {
                    odd.Add($"mutant {i}: {e.GetType().Name}: {e.Message}");
                }
            }
            return (abort, problems, fine, odd);
        }, TestContext.Current.CancellationToken);

        TestContext.Current.SendDiagnosticMessage($"plist mutants: {aborted} aborted (main), {withProblems} with problems (nested), {clean} clean");
        unexpected.Should().BeEmpty();
        aborted.Should().BeGreaterThan(0);
        withProblems.Should().BeGreaterThan(0);
    }

    /// <summary>Reads every file; a file that fails to read is a valid outcome as long as the error is typed.</summary>
    private static void ReadEverything(AppPackage package)
    {
        var buffer = new byte[8192];
        foreach (var file in package.Files.Files)
        {
            try
            {
                using var stream = package.Files.Open(file);
                while (stream.Read(buffer) > 0) { }
            }
            catch (MstgInputException) { }
        }
    }

    /// <summary>Half the flips land in the last quarter of the file, where the central directory lives.</summary>
    private static (byte[] Bytes, string Description) Mutate(byte[] original, Random random)
    {
        var kind = random.Next(10);
        if (kind == 0)
        {
            var length = random.Next(original.Length);
            return (original[..length], $"truncated to {length}");
        }
        var bytes = (byte[])original.Clone();
        var flips = 1 + random.Next(4);
        var positions = new List<int>();
        for (var f = 0; f < flips; f++)
        {
            var position = random.Next(2) == 0
                ? random.Next(bytes.Length)
                : bytes.Length - 1 - random.Next(bytes.Length / 4);
            bytes[position] = kind == 1 ? (byte)0xFF : (byte)random.Next(256);
            positions.Add(position);
        }
        return (bytes, $"bytes changed at {string.Join(",", positions)}");
    }
}
