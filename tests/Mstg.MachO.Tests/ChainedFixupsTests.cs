using Mstg.MachO.Tests.Support;

namespace Mstg.MachO.Tests;

/// <summary>LC_DYLD_CHAINED_FIXUPS imports, on a clang-built executable patched with a hand-built fixups blob.</summary>
public class ChainedFixupsTests
{
    private static List<string> Dylibs => Oracle.DylibsUsed(TestBinaries.Arm64);
    private static int OrdinalOf(string path) => Dylibs.IndexOf(path) + 1;

    private static List<ChainedImportSpec> Imports() =>
    [
        new("_SecTrustEvaluateWithError", OrdinalOf("/System/Library/Frameworks/Security.framework/Security")),
        new("_socket", OrdinalOf("/usr/lib/libSystem.B.dylib"), Addend: 8),
        new("_OptionalFeature", OrdinalOf(TestBinaries.OptionalFramework), Weak: true),
        new("_flatLookupSymbol", -2),
        new("_fromMainExecutable", -1),
        new("_weakLookupSymbol", -3),
    ];

    [Theory]
    [InlineData(1u)]
    [InlineData(2u)]
    [InlineData(3u)]
    public void Imports_table_yields_symbols_with_their_dylibs(uint format)
    {
        var bytes = ChainedFixupsFixture.Build(TestBinaries.Arm64, Imports(), format);
        Oracle.LoadCommands(bytes).Select(c => c["cmd"]).Should().Contain("LC_DYLD_CHAINED_FIXUPS");

        var image = MachOReader.Read(bytes, "Chained").Images.Single();
        image.LoadCommands.Should().EndWith("LC_DYLD_CHAINED_FIXUPS");
        var chained = image.Imports.Where(i => i.Origin == "LC_DYLD_CHAINED_FIXUPS").ToList();
        chained.Select(i => (i.Name, i.Library, i.IsWeak, i.LibraryOrdinal)).Should().Equal(
            ("_SecTrustEvaluateWithError", "/System/Library/Frameworks/Security.framework/Security", false, OrdinalOf("/System/Library/Frameworks/Security.framework/Security")),
            ("_socket", "/usr/lib/libSystem.B.dylib", false, OrdinalOf("/usr/lib/libSystem.B.dylib")),
            ("_OptionalFeature", TestBinaries.OptionalFramework, true, OrdinalOf(TestBinaries.OptionalFramework)),
            ("_flatLookupSymbol", null, false, -2),
            ("_fromMainExecutable", null, false, -1),
            ("_weakLookupSymbol", null, false, -3));
        // The classic bind streams were emptied, so nothing may come from them.
        image.Imports.Should().NotContain(i => i.Origin == "LC_DYLD_INFO");
        image.Warnings.Should().BeEmpty();
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(3u)]
    public void Out_of_range_ordinal_keeps_the_import_without_library_and_warns(uint format)
    {
        var bytes = ChainedFixupsFixture.Build(TestBinaries.Arm64, [new("_ghost", 200), new("_socket", OrdinalOf("/usr/lib/libSystem.B.dylib"))], format);
        var image = MachOReader.Read(bytes, "Chained").Images.Single();
        var ghost = image.Imports.Single(i => i.Name == "_ghost");
        ghost.Library.Should().BeNull();
        ghost.LibraryOrdinal.Should().Be(200);
        image.Warnings.Should().ContainSingle(w => w.Message.Contains("ordinal 200") && w.Message.Contains("_ghost"));
        image.Imports.Single(i => i.Name == "_socket" && i.Origin == "LC_DYLD_CHAINED_FIXUPS").Library.Should().Be("/usr/lib/libSystem.B.dylib");
    }

    [Theory]
    [InlineData("version", "chained fixups version 7")]
    [InlineData("format", "imports_format 9")]
    [InlineData("count", "imports table")]
    [InlineData("name", "name_offset")]
    public void Corrupt_fixups_header_is_a_format_error_naming_the_field(string corruption, string expected)
    {
        var header = corruption switch
        {
            "version" => new ChainedFixupsFixture.Header(Version: 7),
            "format" => new ChainedFixupsFixture.Header(ImportsFormat: 9),
            "count" => new ChainedFixupsFixture.Header(ImportsCountOverride: 100_000),
            _ => new ChainedFixupsFixture.Header(NameOffsetOverride: 4_000_000),
        };
        var bytes = ChainedFixupsFixture.Build(TestBinaries.Arm64, Imports(), 1, header);
        var act = () => MachOReader.Read(bytes, "Chained");
        act.Should().Throw<MachOFormatException>().Which.Message.Should().Contain("LC_DYLD_CHAINED_FIXUPS").And.Contain(expected);
    }

    [Fact]
    public void Compressed_symbol_pool_is_reported_not_misread()
    {
        var bytes = ChainedFixupsFixture.Build(TestBinaries.Arm64, Imports(), 1, new ChainedFixupsFixture.Header(SymbolsFormat: 1));
        var image = MachOReader.Read(bytes, "Chained").Images.Single();
        image.Imports.Should().NotContain(i => i.Origin == "LC_DYLD_CHAINED_FIXUPS");
        image.Warnings.Should().Contain(w => w.Message.Contains("compressed"));
    }

    [Fact]
    public void Fixups_blob_past_end_of_file_is_refused()
    {
        var bytes = ChainedFixupsFixture.Build(TestBinaries.Arm64, Imports(), 1);
        var truncated = bytes[..^8];
        var act = () => MachOReader.Read(truncated, "Chained");
        act.Should().Throw<MachOFormatException>().Which.Message.Should().Contain("LC_DYLD_CHAINED_FIXUPS").And.Contain("points past end of file");
    }
}
