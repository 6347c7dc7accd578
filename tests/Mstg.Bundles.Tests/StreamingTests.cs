using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Packaging;

namespace Mstg.Bundles.Tests;

/// <summary>Large entries are streamed, not buffered: the memory a read costs does not grow with the entry.</summary>
public sealed class StreamingTests : IDisposable
{
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Reading_a_200_MB_entry_allocates_only_buffers()
    {
        const string binary = "Payload/Shop.app/Shop";
        const long size = 200L << 20;
        var ipa = new IpaBuilder()
            .AddBundle(IpaBuilder.AppPath("Shop"), executable: null, infoPlistXml: PlistXml.InfoPlist("Shop", "org.example.shop"))
            .AddBomb(binary, size, ratio: 20)
            .WriteIpa(_temp.File("big.ipa"));
        using var package = AppPackageReader.Open(ipa);
        package.Main.Executable!.Size.Should().Be(size);

        var buffer = new byte[1 << 16];
        long total = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        using (var stream = package.Files.Open(package.Main.Executable))
        {
            int read;
            while ((read = stream.Read(buffer)) > 0) total += read;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        total.Should().Be(size);
        allocated.Should().BeLessThan(4L << 20, "a streamed entry costs its buffers, not its size");
        TestContext.Current.SendDiagnosticMessage($"200 MB entry read with {allocated / 1024} KiB allocated; ipa {new FileInfo(ipa).Length / 1024} KiB");
    }
}
