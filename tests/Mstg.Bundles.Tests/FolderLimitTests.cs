using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Packaging;

namespace Mstg.Bundles.Tests;

/// <summary>The same limits hold for an unpacked app on disk.</summary>
public sealed class FolderLimitTests : IDisposable
{
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    private string AppFolder()
    {
        var builder = new IpaBuilder().AddApp("Shop");
        for (var i = 0; i < 5; i++) builder.AddFile($"Payload/Shop.app/data{i}.bin", new byte[1_000]);
        return builder.WriteAppFolder(_temp.File("unpacked"));
    }

    [Fact]
    public void Folder_file_count_limit()
    {
        var app = AppFolder();
        var open = () => AppPackageReader.Open(app, new BundleLimits { MaxEntries = 6 });
        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("more than the 6 files");
        using var fine = AppPackageReader.Open(app, new BundleLimits { MaxEntries = 7 });
        fine.Main.Files.Should().HaveCount(7);
    }

    [Fact]
    public void Folder_file_size_and_total_limits()
    {
        var app = AppFolder();
        var entry = () => AppPackageReader.Open(app, new BundleLimits { MaxEntrySize = 999 });
        entry.Should().Throw<BundleFormatException>().Which.Place.Should().StartWith("Shop.app/data");
        var total = () => AppPackageReader.Open(app, new BundleLimits { MaxTotalSize = 4_000 });
        total.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("total size limit");
        using var fine = AppPackageReader.Open(app, new BundleLimits { MaxEntrySize = 1_000, MaxTotalSize = 6_000 });
    }

    [Fact]
    public void File_growing_after_enumeration_is_stopped_by_the_entry_limit_while_read()
    {
        var app = AppFolder();
        using var package = AppPackageReader.Open(app, new BundleLimits { MaxEntrySize = 1_000 });
        File.WriteAllBytes(Path.Combine(app, "data0.bin"), new byte[5_000]);

        var read = () =>
        {
            using var stream = package.Files.Open(package.Main.Files.Single(f => f.Name == "data0.bin"));
            stream.CopyTo(Stream.Null);
        };

        read.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("1000-byte entry size limit");
    }

    [Fact]
    public void Folder_without_any_app_is_a_typed_error()
    {
        Directory.CreateDirectory(_temp.File("empty"));
        var open = () => AppPackageReader.Open(_temp.File("empty"));
        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("no *.app");
    }

    [Fact]
    public void Folder_of_apps_takes_the_app_inside()
    {
        new IpaBuilder().AddApp("Shop").WriteFolder(_temp.File("x"));
        using var package = AppPackageReader.Open(_temp.File("x/Payload"));
        package.Main.Path.Should().Be("Shop.app");
    }
}
