using Mstg.MachO.Tests.Support;

namespace Mstg.MachO.Tests;

/// <summary>
/// Dylib kinds and platforms lld cannot be asked for: the command number of a real LC_LOAD_DYLIB / version-min
/// command is rewritten, and llvm-objdump names the result so the expectation does not come from our own table.
/// </summary>
public class LoadCommandKindTests
{
    private const uint LcLoadDylib = 0xC;

    [Theory]
    [InlineData(0x8000001Fu, DylibKind.Reexport)]
    [InlineData(0x20u, DylibKind.Lazy)]
    [InlineData(0x80000023u, DylibKind.Upward)]
    [InlineData(0x80000018u, DylibKind.Weak)]
    [InlineData(0xCu, DylibKind.Load)]
    public void Dylib_command_number_decides_the_kind(uint cmd, DylibKind kind)
    {
        var (offset, index) = MachOPatch.Find(TestBinaries.Arm64, LcLoadDylib);
        var bytes = MachOPatch.WithU32(TestBinaries.Arm64, offset, cmd);
        var image = MachOReader.Read(bytes, "App").Images[0];

        var oracleName = Oracle.LoadCommands(bytes)[index]["cmd"];
        image.LoadCommands[index].Should().Be(oracleName);
        var path = Oracle.DylibsUsed(TestBinaries.Arm64)[0];
        image.Dylibs.First(d => d.Path == path).Kind.Should().Be(kind);
    }

    [Fact]
    public void Unknown_load_command_is_named_by_number_and_skipped()
    {
        var (offset, index) = MachOPatch.Find(TestBinaries.Arm64, 0x1B); // LC_UUID
        var image = MachOReader.Read(MachOPatch.WithU32(TestBinaries.Arm64, offset, 0x7777), "App").Images[0];
        image.LoadCommands[index].Should().Be("LC_0x7777");
        image.Imports.Should().BeEquivalentTo(MachOReader.Read(TestBinaries.Arm64, "App").Images[0].Imports);
    }

    [Theory]
    [InlineData(0x2Fu, MachOPlatform.tvOS)]
    [InlineData(0x30u, MachOPlatform.watchOS)]
    [InlineData(0x24u, MachOPlatform.MacOS)]
    [InlineData(0x25u, MachOPlatform.iOS)]
    public void Version_min_command_number_decides_the_platform(uint cmd, MachOPlatform platform)
    {
        var (offset, index) = MachOPatch.Find(TestBinaries.OldSdk, 0x25);
        var bytes = MachOPatch.WithU32(TestBinaries.OldSdk, offset, cmd);
        var build = MachOReader.Read(bytes, "Old").Images[0].Build!;
        build.Platform.Should().Be(platform);
        build.LoadCommand.Should().Be(Oracle.LoadCommands(bytes)[index]["cmd"]);
        build.Sdk.Should().Be(new Version(8, 0));
    }
}
