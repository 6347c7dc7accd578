using System.Diagnostics;
using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Packaging;

namespace Mstg.Bundles.Tests;

/// <summary>Hostile zips: every case is refused with a <see cref="BundleFormatException"/> and has a passing twin.</summary>
public sealed class ZipSafetyTests : IDisposable
{
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    private static IpaBuilder App() => new IpaBuilder().AddApp("Shop");

    private static byte[] ReadAll(AppPackage package, string path)
    {
        using var stream = package.Files.Open(package.Files.Files.Single(f => f.Path == path));
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    [Theory]
    [InlineData("../evil.dylib")]
    [InlineData("Payload/Shop.app/../../evil")]
    [InlineData("Payload/../../evil")]
    [InlineData("/etc/cron.d/evil")]
    [InlineData("C:/Windows/evil.dll")]
    [InlineData("c:evil")]
    [InlineData("..\\evil")]
    [InlineData("Payload\\..\\..\\evil")]
    [InlineData("\\\\server\\share\\evil")]
    [InlineData("Payload/Shop.app/..")]
    [InlineData("Payload/Shop.app/evil\u0000.txt")]
    public void Zip_slip_names_are_refused_with_the_entry_name(string name)
    {
        var ipa = App().AddRawEntry(name).WriteIpa(_temp.File("slip.ipa"));

        var open = () => AppPackageReader.Open(ipa);

        var error = open.Should().Throw<BundleFormatException>().Which;
        error.Source.Should().Be(ipa);
        error.Problem.Should().StartWith("refused");
        error.Place.Should().Be($"entry {Mstg.Bundles.Paths.PackagePath.Printable(name)}");
    }

    [Theory]
    [InlineData("Payload/Shop.app/a..b/file")]
    [InlineData("Payload/Shop.app/..hidden")]
    [InlineData("Payload/Shop.app/./file")]
    [InlineData("Payload//Shop.app/file")]
    public void Names_that_only_look_like_traversal_are_accepted(string name)
    {
        using var package = AppPackageReader.Open(App().AddRawEntry(name).WriteIpa(_temp.File("ok.ipa")));
        package.Main.Files.Should().HaveCount(3);
        package.Main.Files.Should().OnlyContain(f => f.Path.StartsWith("Payload/Shop.app/") && !f.Path.Contains("//") && !f.Path.Contains("/./"));
    }

    [Fact]
    public void Deflated_gigabyte_of_zeros_is_refused_from_its_declared_ratio()
    {
        var ipa = App().AddBomb("Payload/Shop.app/bomb.bin", 1L << 30).WriteIpa(_temp.File("bomb.ipa"));
        new FileInfo(ipa).Length.Should().BeLessThan(2 << 20, "the bomb is small on disk");

        var stopwatch = Stopwatch.StartNew();
        var open = () => AppPackageReader.Open(ipa);
        var error = open.Should().Throw<BundleFormatException>().Which;
        error.Place.Should().Be("entry Payload/Shop.app/bomb.bin");
        error.Problem.Should().Contain("ratio");
        // Refusal comes from the headers: nothing was inflated (recorded for the report, not asserted).
        TestContext.Current.SendDiagnosticMessage($"bomb refused in {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Bomb_whose_header_hides_its_size_is_stopped_while_streaming()
    {
        // The header claims 2 MB; the data inflates to 64 MB of zeros. Declared checks pass (2 MB at any ratio
        // under the limit below), so only the streaming count can catch it.
        const string bomb = "Payload/Shop.app/bomb.bin";
        var ipa = App().AddBomb(bomb, 64L << 20).DeclareSize(bomb, 2L << 20).WriteIpa(_temp.File("bomb.ipa"));
        var limits = new BundleLimits { MaxCompressionRatio = 100_000 };
        using var package = AppPackageReader.Open(ipa, limits);

        var read = () => ReadAll(package, bomb);

        read.Should().Throw<BundleFormatException>().Which.Place.Should().Be($"entry {bomb}");
    }

    [Fact]
    public void Ratio_limit_is_configurable_and_applies_to_declared_ratio()
    {
        const string entry = "Payload/Shop.app/data.bin";
        var ipa = App().AddBomb(entry, 4L << 20, ratio: 20).WriteIpa(_temp.File("r.ipa"));

        using (var package = AppPackageReader.Open(ipa))
            ReadAll(package, entry).Length.Should().Be(4 << 20);

        var strict = () => AppPackageReader.Open(ipa, new BundleLimits { MaxCompressionRatio = 5 });
        strict.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("5:1 ratio limit");
    }

    [Fact]
    public void Entry_size_limit_applies_to_declared_size()
    {
        var ipa = App().AddFile("Payload/Shop.app/big.bin", new byte[10_000]).WriteIpa(_temp.File("s.ipa"));
        var open = () => AppPackageReader.Open(ipa, new BundleLimits { MaxEntrySize = 9_999 });
        open.Should().Throw<BundleFormatException>().Which.Place.Should().Be("entry Payload/Shop.app/big.bin");
        using var fine = AppPackageReader.Open(ipa, new BundleLimits { MaxEntrySize = 10_000 });
    }

    [Fact]
    public void Header_understating_the_size_is_caught_when_the_entry_is_read()
    {
        // ZipArchive stops inflating at the declared size, so the lie shows as a CRC mismatch at the end.
        const string entry = "Payload/Shop.app/big.bin";
        var ipa = App().AddFile(entry, new byte[100_000]).DeclareSize(entry, 1_000).WriteIpa(_temp.File("s.ipa"));
        using var package = AppPackageReader.Open(ipa, new BundleLimits { MaxEntrySize = 50_000 });
        package.Files.Files.Single(f => f.Path == entry).Size.Should().Be(1_000, "the declared size is what the header says");

        var read = () => ReadAll(package, entry);

        var error = read.Should().Throw<BundleFormatException>().Which;
        error.Place.Should().Be($"entry {entry}");
        error.Problem.Should().Contain("CRC-32");
    }

    [Fact]
    public void Total_size_limit_applies_to_declared_sizes()
    {
        var builder = App();
        for (var i = 0; i < 5; i++) builder.AddFile($"Payload/Shop.app/part{i}.bin", new byte[1000]);
        var ipa = builder.WriteIpa(_temp.File("t.ipa"));

        var open = () => AppPackageReader.Open(ipa, new BundleLimits { MaxTotalSize = 4_500 });
        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("total size limit");
        using var fine = AppPackageReader.Open(ipa, new BundleLimits { MaxTotalSize = 6_000 });
    }

    [Fact]
    public void Header_claiming_more_than_the_data_is_an_error_when_read()
    {
        const string entry = "Payload/Shop.app/short.bin";
        var ipa = App().AddFile(entry, new byte[1_000]).DeclareSize(entry, 5_000).WriteIpa(_temp.File("l.ipa"));
        using var package = AppPackageReader.Open(ipa);

        var read = () => ReadAll(package, entry);

        read.Should().Throw<BundleFormatException>().Which.Place.Should().Be($"entry {entry}");
        ReadAll(package, "Payload/Shop.app/Shop").Should().NotBeEmpty("other entries still read");
    }

    [Fact]
    public void Entry_count_limit_is_enforced()
    {
        var builder = App();
        for (var i = 0; i < 20; i++) builder.AddText($"Payload/Shop.app/r{i}.txt", "x");
        var ipa = builder.WriteIpa(_temp.File("n.ipa"));

        var open = () => AppPackageReader.Open(ipa, new BundleLimits { MaxEntries = 21 });
        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("21");
        using var fine = AppPackageReader.Open(ipa, new BundleLimits { MaxEntries = 22 });
        fine.Main.Files.Should().HaveCount(22);
    }

    [Fact]
    public void Entry_count_is_walked_even_when_the_end_record_understates_it()
    {
        var builder = App();
        for (var i = 0; i < 20; i++) builder.AddText($"Payload/Shop.app/r{i}.txt", "x");
        var ipa = builder.DeclareEntryCount(3).WriteIpa(_temp.File("n.ipa"));

        var open = () => AppPackageReader.Open(ipa, new BundleLimits { MaxEntries = 10 });

        var error = open.Should().Throw<BundleFormatException>().Which;
        error.Place.Should().Be("central directory");
        error.Problem.Should().Contain("more than the 10 entries");
        var lenient = () => AppPackageReader.Open(ipa, new BundleLimits { MaxEntries = 100 });
        lenient.Should().Throw<BundleFormatException>("ZipArchive itself rejects the count mismatch")
            .Which.Place.Should().Be("zip structure");
    }

    [Fact]
    public void Overlapping_entries_are_refused()
    {
        const string kernel = "Payload/Shop.app/kernel.bin";
        var builder = App().AddBomb(kernel, 512 << 10);
        for (var i = 0; i < 5; i++) builder.AddText($"Payload/Shop.app/copy{i}.bin", "x").OverlapEntry($"Payload/Shop.app/copy{i}.bin", kernel);
        var ipa = builder.WriteIpa(_temp.File("overlap.ipa"));

        var open = () => AppPackageReader.Open(ipa);

        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("overlap");
        var honest = App().AddBomb(kernel, 512 << 10);
        for (var i = 0; i < 5; i++) honest.AddBomb($"Payload/Shop.app/copy{i}.bin", 512 << 10);
        using var fine = AppPackageReader.Open(honest.WriteIpa(_temp.File("honest.ipa")));
        fine.Main.Files.Should().HaveCount(8);
    }

    [Fact]
    public void A_zip64_marker_count_without_a_zip64_record_does_not_switch_the_guard_off()
    {
        // 0xFFFF entries means "see the zip64 record"; without one, ZipArchive uses the 32-bit values, and so must the guard.
        const string kernel = "Payload/Shop.app/kernel.bin";
        var builder = App().AddBomb(kernel, 512 << 10);
        for (var i = 0; i < 5; i++) builder.AddText($"Payload/Shop.app/copy{i}.bin", "x").OverlapEntry($"Payload/Shop.app/copy{i}.bin", kernel);
        var ipa = builder.DeclareEntryCount(0xFFFF).WriteIpa(_temp.File("overlap64.ipa"));

        var open = () => AppPackageReader.Open(ipa);

        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("overlap");
    }

    [Fact]
    public void Compressed_size_claimed_beyond_the_file_does_not_dilute_the_ratio()
    {
        const string bomb = "Payload/Shop.app/bomb.bin";
        var ipa = App().AddBomb(bomb, 64L << 20).WriteIpa(_temp.File("b.ipa"));
        // Claiming 60 MB compressed would make 64 MB look like a 1.1:1 entry; the file is only ~64 KB.
        ZipPatch.SetCompressedSize(ipa, bomb, 60_000_000);

        var open = () => AppPackageReader.Open(ipa, new BundleLimits { MaxCompressionRatio = 500 });

        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("500:1 ratio limit");
        using var lenient = AppPackageReader.Open(ipa, new BundleLimits { MaxCompressionRatio = 5_000 });
    }

    [Fact]
    public void Zip64_entry_count_is_read_from_the_zip64_end_record()
    {
        // More than 65535 entries forces ZipArchive to write zip64 end records (the classic count reads 0xFFFF).
        var builder = App();
        for (var i = 0; i < 70_000; i++) builder.AddFile($"Payload/Shop.app/r/{i}", [], System.IO.Compression.CompressionLevel.NoCompression);
        var ipa = builder.WriteIpa(_temp.File("zip64.ipa"));

        var open = () => AppPackageReader.Open(ipa, new BundleLimits { MaxEntries = 69_000 });
        var error = open.Should().Throw<BundleFormatException>().Which;
        error.Place.Should().Be("end of central directory");
        error.Problem.Should().Contain("declares 70002 entries");
        using var fine = AppPackageReader.Open(ipa);
        fine.Main.Files.Should().HaveCount(70_002);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    [InlineData(0.01)]
    public void Truncated_zip_is_a_bundle_format_error(double keep)
    {
        var ipa = App().AddBundle(Packages.Share).WriteIpa(_temp.File("full.ipa"));
        var bytes = File.ReadAllBytes(ipa);
        var truncated = _temp.File("cut.ipa");
        File.WriteAllBytes(truncated, bytes[..(int)(bytes.Length * keep)]);

        var open = () => AppPackageReader.Open(truncated);

        open.Should().Throw<BundleFormatException>().Which.Source.Should().Be(truncated);
    }

    [Fact]
    public void Garbage_after_zip_magic_is_a_bundle_format_error()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        "PK\u0003\u0004"u8.CopyTo(garbage);
        var path = _temp.File("garbage.ipa");
        File.WriteAllBytes(path, garbage);

        var open = () => AppPackageReader.Open(path);

        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("zip");
    }

    [Fact]
    public void Ipa_that_is_not_a_zip_is_a_bundle_format_error()
    {
        var path = _temp.File("text.ipa");
        File.WriteAllText(path, "this is not a zip");
        var open = () => AppPackageReader.Open(path);
        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("not a zip");
    }

    [Fact]
    public void Duplicate_entries_keep_the_last_and_are_reported()
    {
        var decoy = PlistXml.InfoPlist("Shop", "org.example.decoy");
        var real = PlistXml.InfoPlist("Shop", "org.example.real");
        var ipa = new IpaBuilder()
            .AddPlist("Payload/Shop.app/Info.plist", decoy)
            .AddFile("Payload/Shop.app/Shop", [1])
            .AddPlist("Payload/Shop.app/Info.plist", real)
            .WriteIpa(_temp.File("dup.ipa"));

        using var package = AppPackageReader.Open(ipa);

        package.Main.Info!["CFBundleIdentifier"]!.ToString().Should().Be("org.example.real");
        package.Main.Files.Should().HaveCount(2);
        package.Problems.Should().ContainSingle().Which.Place.Should().Be("entry Payload/Shop.app/Info.plist");
    }

    [Fact]
    public void Directory_entries_are_not_files()
    {
        var ipa = App().AddDirectory("Payload/Shop.app/Empty").AddDirectory("Payload/Shop.app/PlugIns/Ghost.appex").WriteIpa(_temp.File("d.ipa"));
        using var package = AppPackageReader.Open(ipa);
        package.Files.Files.Select(f => f.Path).Should().BeEquivalentTo("Payload/Shop.app/Info.plist", "Payload/Shop.app/Shop");
        package.Bundles.Should().ContainSingle("an empty folder is not a bundle");
    }
}
