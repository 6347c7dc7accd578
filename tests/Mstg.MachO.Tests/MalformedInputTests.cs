using System.Buffers.Binary;
using System.Text;
using Mstg.MachO.Tests.Support;

namespace Mstg.MachO.Tests;

/// <summary>Precise corruptions of real binaries: each must end in a MachOFormatException that says where and what.</summary>
public class MalformedInputTests
{
    private static MachOFormatException Refused(byte[] bytes, MachOReadOptions? options = null)
    {
        var act = () => MachOReader.Read(bytes, "Bad", options);
        var e = act.Should().Throw<MachOFormatException>().Which;
        e.InnerException.Should().BeNull("a known problem must be reported where it is found, not by the safety net");
        e.Source.Should().Be("Bad");
        return e;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Tiny_file_is_refused(int length) =>
        Refused(new byte[length]).Problem.Should().Contain("too short");

    [Fact]
    public void Non_mach_o_magic_is_refused_and_named()
    {
        Refused(Encoding.ASCII.GetBytes("\u007fELF and then some bytes")).Problem.Should().Contain("not a Mach-O image: magic 0x464c457f");
        Refused([0xFE, 0xED, 0xFA, 0xCF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).Problem.Should().Contain("big-endian");
    }

    [Fact]
    public void Truncated_load_commands_are_refused_with_the_offset()
    {
        var e = Refused(TestBinaries.Arm64[..200]);
        e.Problem.Should().Contain("load commands").And.Contain("past the end of the file");
        e.Offset.Should().Be(20, "sizeofcmds is the field that promised more bytes");
    }

    [Fact]
    public void Symbol_table_past_end_of_file_names_the_load_command()
    {
        var (cmd, index) = MachOPatch.Find(TestBinaries.Arm64, MachOPatch.LcSymtab);
        var bad = MachOPatch.WithU32(TestBinaries.Arm64, cmd + 8, (uint)TestBinaries.Arm64.Length - 8);
        var e = Refused(bad);
        e.Problem.Should().Contain($"load command {index} (LC_SYMTAB) symbol table").And.Contain("points past end of file");
        e.Message.Should().StartWith("Bad: byte 0x");
    }

    [Fact]
    public void Truncated_file_names_the_structure_that_was_cut()
    {
        // Cut inside __LINKEDIT: with the length known, the segment is the first structure found not to fit.
        var cut = TestBinaries.Arm64[..^64];
        Refused(cut).Problem.Should().Contain("segment __LINKEDIT").And.Contain("points past end of file");

        // A forward-only stream has no length up front: the string table (the last thing lld writes) hits the end.
        var act = () => MachOReader.Read(new ForwardOnlyStream(new MemoryStream(cut)), "Bad");
        var e = act.Should().Throw<MachOFormatException>().Which;
        e.Problem.Should().Contain("(LC_SYMTAB) string table").And.Contain("points past end of file");
        e.InnerException.Should().BeNull();
    }

    [Fact]
    public void Linkedit_data_past_end_of_file_is_refused_the_same_way_from_a_forward_only_stream()
    {
        var (cmd, index) = MachOPatch.Find(TestBinaries.Arm64, 0x26); // LC_FUNCTION_STARTS: dataoff at +8
        var bad = MachOPatch.WithU32(TestBinaries.Arm64, cmd + 8, (uint)TestBinaries.Arm64.Length);
        var seekable = Refused(bad);
        seekable.Problem.Should().Contain($"load command {index} (LC_FUNCTION_STARTS) data").And.Contain("points past end of file");

        // Nothing the reader needs lies there, yet a forward-only read must not accept what a seekable one refuses.
        var act = () => MachOReader.Read(new ForwardOnlyStream(new MemoryStream(bad)), "Bad");
        var forward = act.Should().Throw<MachOFormatException>().Which;
        forward.Problem.Should().Be(seekable.Problem);
        forward.Offset.Should().Be(seekable.Offset);

        MachOReader.Read(new ForwardOnlyStream(new MemoryStream(TestBinaries.Arm64)), "Good").Images.Should().ContainSingle();
    }

    [Theory]
    [InlineData(0u, "cmdsize 0")]
    [InlineData(6u, "cmdsize 6")]
    [InlineData(0x7FFFFFF0u, "runs past the end of the load commands")]
    public void Bad_cmdsize_is_refused(uint cmdsize, string expected)
    {
        var bad = MachOPatch.WithU32(TestBinaries.Arm64, 32 + 4, cmdsize);
        Refused(bad).Problem.Should().Contain("load command 0 (LC_SEGMENT_64)").And.Contain(expected);
    }

    [Fact]
    public void Too_many_load_commands_are_refused()
    {
        Refused(MachOPatch.WithU32(TestBinaries.Arm64, 16, 1_000_000)).Problem.Should().Contain("ncmds 1000000 exceeds the limit");
        Refused(TestBinaries.Arm64, new MachOReadOptions { MaxLoadCommands = 5 }).Problem.Should().Contain("exceeds the limit of 5");
        MachOReader.Read(TestBinaries.Arm64, "Good", new MachOReadOptions { MaxLoadCommands = 64 }).Images.Should().ContainSingle();
    }

    [Fact]
    public void Uleb_overflow_in_bind_opcodes_is_refused()
    {
        // BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB followed by an 11-byte ULEB128.
        var bad = MachOPatch.WithLazyBindStream(TestBinaries.Arm64, [0x72, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]);
        Refused(bad).Problem.Should().Contain("lazy bind info").And.Contain("ULEB128 overflows 64 bits");
    }

    [Fact]
    public void Unknown_bind_opcode_is_refused()
    {
        var bad = MachOPatch.WithLazyBindStream(TestBinaries.Arm64, [0xE0]);
        Refused(bad).Problem.Should().Contain("unknown bind opcode 0xe0");
    }

    [Fact]
    public void Unterminated_symbol_name_in_bind_opcodes_is_refused()
    {
        var (cmd, _) = MachOPatch.Find(TestBinaries.Arm64, MachOPatch.LcDyldInfoOnly);
        var size = (int)MachOPatch.U32(TestBinaries.Arm64, cmd + 36);
        var opcodes = new byte[size];
        opcodes.AsSpan().Fill((byte)'A');
        opcodes[0] = 0x40; // SET_SYMBOL_TRAILING_FLAGS_IMM, then a name that never ends
        Refused(MachOPatch.WithLazyBindStream(TestBinaries.Arm64, opcodes)).Problem.Should().Contain("not NUL-terminated");
    }

    [Fact]
    public void Huge_bind_repeat_count_finishes_and_binds_the_symbol_once()
    {
        // SET_DYLIB_ORDINAL_IMM 1, SET_SYMBOL "_loop", DO_BIND_ULEB_TIMES_SKIPPING_ULEB count 2^63 skip 8.
        var opcodes = new List<byte> { 0x11, 0x40 };
        opcodes.AddRange(Encoding.ASCII.GetBytes("_loop\0"));
        opcodes.AddRange([0xC0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x08]);
        var image = MachOReader.Read(MachOPatch.WithLazyBindStream(TestBinaries.Arm64, [.. opcodes]), "Loop").Images[0];
        image.Imports.Where(i => i.Name == "_loop").Should().ContainSingle().Which.LibraryOrdinal.Should().Be(1);
    }

    [Fact]
    public void Bind_ordinal_out_of_range_keeps_the_import_without_library()
    {
        var opcodes = new List<byte> { 0x1F, 0x40 }; // ordinal 15: the image loads 6 dylibs
        opcodes.AddRange(Encoding.ASCII.GetBytes("_orphan\0"));
        opcodes.Add(0x90);
        var image = MachOReader.Read(MachOPatch.WithLazyBindStream(TestBinaries.Arm64, [.. opcodes]), "Orphan").Images[0];
        image.Imports.Single(i => i.Name == "_orphan").Library.Should().BeNull();
        image.Warnings.Should().ContainSingle(w => w.Message.Contains("library ordinal 15") && w.Message.Contains("_orphan"));

        // The in-range ordinal 1 in the same position does resolve: the check is not always null.
        opcodes[0] = 0x11;
        MachOReader.Read(MachOPatch.WithLazyBindStream(TestBinaries.Arm64, [.. opcodes]), "Good").Images[0]
            .Imports.Single(i => i.Name == "_orphan").Library.Should().Be(Oracle.DylibsUsed(TestBinaries.Arm64)[0]);
    }

    [Fact]
    public void Fat_slice_overlapping_another_is_refused()
    {
        var fat = TestBinaries.Fat;
        // Second fat_arch starts at 8 + 20; point its offset at the first slice's offset.
        var firstOffset = BinaryPrimitives.ReadUInt32BigEndian(fat.AsSpan(8 + 8));
        var bad = (byte[])fat.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(bad.AsSpan(28 + 8), firstOffset + 16);
        Refused(bad).Problem.Should().Contain("overlaps fat arch");
    }

    [Fact]
    public void Fat_slice_past_end_of_file_is_refused()
    {
        var bad = (byte[])TestBinaries.Fat.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(bad.AsSpan(28 + 12), 0x7FFFFFFF);
        Refused(bad).Problem.Should().MatchRegex(@"^fat arch 1 \((arm64|x86_64)\) \(0x[0-9a-f]+\+0x7fffffff\) points past end of file");
    }

    [Fact]
    public void Fat_header_without_or_with_absurdly_many_architectures_is_refused()
    {
        Refused([0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 0]).Problem.Should().Contain("no architectures");
        // A Java class file: 0xCAFEBABE then minor/major version, read as nfat_arch = 0x00000034.
        Refused([0xCA, 0xFE, 0xBA, 0xBE, 0x00, 0x00, 0x00, 0x41, 0, 0, 0, 0]).Problem.Should().Contain("Java class");
    }

    [Fact]
    public void Limits_cut_with_a_warning_instead_of_failing()
    {
        var few = MachOReader.Read(TestBinaries.Arm64, "App", new MachOReadOptions { MaxSymbols = 3, MaxStrings = 2 }).Images[0];
        few.Symbols.Count.Should().BeLessThanOrEqualTo(3);
        few.Strings.Should().HaveCount(2);
        few.Warnings.Should().Contain(w => w.Message.Contains("exceed the limit of 3")).And.Contain(w => w.Message.Contains("string limit of 2"));

        var small = MachOReader.Read(TestBinaries.Arm64, "App", new MachOReadOptions { MaxRangeBytes = 64 }).Images[0];
        small.Warnings.Should().Contain(w => w.Message.Contains("__TEXT,__cstring") && w.Message.Contains("only its first 64 bytes"));
        small.Warnings.Should().Contain(w => w.Message.Contains("(LC_SYMTAB) symbol table") && w.Message.Contains("not read"));
        small.Strings.Should().OnlyContain(s => s.Offset < 64);

        var budget = MachOReader.Read(TestBinaries.Arm64, "App", new MachOReadOptions { MaxBytesPerSlice = 200 }).Images[0];
        budget.Warnings.Should().Contain(w => w.Message.Contains("read budget is spent"));
        budget.Strings.Count.Should().BeLessThan(MachOReader.Read(TestBinaries.Arm64, "App").Images[0].Strings.Count);

        var full = MachOReader.Read(TestBinaries.Arm64, "App").Images[0];
        full.Warnings.Should().BeEmpty();
        full.Strings.Count.Should().BeGreaterThan(2);
    }

    [Fact]
    public void Long_strings_are_cut_to_the_maximum_length()
    {
        var image = MachOReader.Read(TestBinaries.Arm64, "App", new MachOReadOptions { MaxStringLength = 10 }).Images[0];
        var cut = TestBinaries.InsecureUrl.Substring(0, 10);
        image.Strings.Should().Contain(s => s.Value == cut).And.OnlyContain(s => s.Value.Length <= 10);
        image.Warnings.Should().ContainSingle(w => w.Kind == MachOWarningKind.StringCut).Which.Message.Should().Contain("cut to that length");
        MachOReader.Read(TestBinaries.Arm64, "App").Images[0].Warnings.Should().BeEmpty();
    }
}
