using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Packaging;
using static Mstg.Bundles.Tests.Support.Packages;

namespace Mstg.Bundles.Tests;

/// <summary>A reader that stops early never sees the CRC-32 check; <see cref="EntryChecksum.VerifyRest"/> finishes it.</summary>
public sealed class EntryChecksumTests : IDisposable
{
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    private static readonly byte[] Binary = [.. Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7))];

    private string Ipa(bool corrupt, System.IO.Compression.CompressionLevel level)
    {
        var builder = new IpaBuilder().AddFile($"{Main}/Info.plist", System.Text.Encoding.UTF8.GetBytes(PlistXml.InfoPlist("Shop", "org.example.shop")))
            .AddFile($"{Main}/Shop", Binary, level);
        if (corrupt) builder.CorruptCrc($"{Main}/Shop");
        return builder.WriteIpa(_temp.File($"crc-{corrupt}-{level}.ipa"));
    }

    [Theory]
    [InlineData(System.IO.Compression.CompressionLevel.Optimal)]
    [InlineData(System.IO.Compression.CompressionLevel.NoCompression)]
    public void Wrong_crc_is_found_after_a_partial_read_and_a_right_one_passes(System.IO.Compression.CompressionLevel level)
    {
        foreach (var corrupt in new[] { false, true })
        {
            using var package = AppPackageReader.Open(Ipa(corrupt, level));
            using var stream = package.Files.Open(package.Main.Executable!);
            stream.ReadExactly(new byte[4096]); // what a header-only reader would do
            var verify = () => EntryChecksum.VerifyRest(stream);
            if (corrupt)
                verify.Should().Throw<BundleFormatException>().Which.Should().Match<BundleFormatException>(e =>
                    e.Place == $"entry {Main}/Shop" && e.Problem.Contains("CRC-32"));
            else
                verify.Should().NotThrow();
        }
    }

    [Fact]
    public void Folder_files_have_no_checksum_and_are_not_read_again()
    {
        var app = new IpaBuilder().AddApp("Shop", executable: Binary).WriteAppFolder(_temp.File("unpacked"));
        using var package = AppPackageReader.Open(app);
        using var stream = package.Files.Open(package.Main.Executable!);
        stream.ReadExactly(new byte[10]);
        EntryChecksum.VerifyRest(stream);
        stream.Position.Should().Be(10);
    }
}
