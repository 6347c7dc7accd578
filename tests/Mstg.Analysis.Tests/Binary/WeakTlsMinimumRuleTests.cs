using Mstg.Analysis.Binary;
using Mstg.Analysis.Tests.Binary.Support;
using Mstg.Fixtures.Toolchain;
using Mstg.MachO;

namespace Mstg.Analysis.Tests.Binary;

public class WeakTlsMinimumRuleTests
{
    private static string UrlSessionSetter(int version) => Clang.Prelude +
        "int main(void){ id cfg = 0;\n" +
        $"  ((void(*)(id,SEL,unsigned short))objc_msgSend)(cfg, sel_registerName(\"setTLSMinimumSupportedProtocolVersion:\"), 0x{version:x});\n" +
        "  return 0; }";

    private static string SecProtocolSetter(int version) =>
        "extern void sec_protocol_options_set_min_tls_protocol_version(void*, unsigned short);\n" +
        $"int main(void){{ sec_protocol_options_set_min_tls_protocol_version(0, 0x{version:x}); return 0; }}";

    [Fact]
    public void Urlsession_minimum_tls10_fails_with_the_mov_w2_location()
    {
        var bytes = Clang.C(UrlSessionSetter(0x301));
        using var app = ScannedApp.WithExecutable(bytes);
        var finding = app.Run(new WeakTlsMinimumRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Fail);
        finding.Evidence.Should().Contain("mov w2, #0x301").And.Contain("bytes 22608052").And.Contain("selector setTLSMinimumSupportedProtocolVersion:");
        finding.Location.Should().MatchRegex(@"^App\[arm64\]:__TEXT,__text\+0x[0-9a-f]+$");

        // The location points at the very instruction: check the bytes there.
        var text = app.Main.Executable!.Primary!.Sections.Single(s => s.FullName == "__TEXT,__text");
        var offset = Convert.ToInt32(finding.Location.Split("+0x")[1], 16);
        bytes.AsSpan((int)text.FileOffset + offset, 4).ToArray().Should().Equal(0x22, 0x60, 0x80, 0x52);
    }

    [Theory]
    [InlineData(0x303, "TLS 1.2")]
    [InlineData(0x304, "TLS 1.3")]
    public void Urlsession_minimum_tls12_or_13_passes_naming_the_value(int version, string name)
    {
        using var app = ScannedApp.WithExecutable(Clang.C(UrlSessionSetter(version)));
        var finding = app.Run(new WeakTlsMinimumRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Pass, finding.Message);
        finding.Message.Should().Contain(name);
        finding.Evidence.Should().Contain($"mov w2, #0x{version:x}");
        finding.Location.Should().MatchRegex(@"^App\[arm64\]:__TEXT,__text\+0x[0-9a-f]+$");
    }

    [Fact]
    public void Setter_with_a_value_not_loaded_as_a_constant_warns_undetermined()
    {
        // The version comes from a variable: nothing in the code says which it is.
        using var app = ScannedApp.WithExecutable(Clang.C(Clang.Prelude +
            "extern unsigned short configured_version(void);\n" +
            "int main(void){ id cfg = 0;\n" +
            "  ((void(*)(id,SEL,unsigned short))objc_msgSend)(cfg, sel_registerName(\"setTLSMinimumSupportedProtocolVersion:\"), configured_version());\n" +
            "  return 0; }"));
        var finding = app.Run(new WeakTlsMinimumRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Warn);
        finding.Message.Should().Contain("value was not determined");
        finding.Location.Should().MatchRegex(@"^App\[arm64\]:__TEXT,__(cstring|objc_methname)\+0x[0-9a-f]+$", "the warning points at the setter's selector");
    }

    [Fact]
    public void Weak_and_strong_values_together_fail()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(
            "extern void sec_protocol_options_set_min_tls_protocol_version(void*, unsigned short);\n" +
            "extern void sec_protocol_options_set_max_tls_protocol_version(void*, unsigned short);\n" +
            "int main(void){ sec_protocol_options_set_max_tls_protocol_version(0, 0x304); sec_protocol_options_set_min_tls_protocol_version(0, 0x301); return 0; }"));
        var finding = app.Run(new WeakTlsMinimumRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Fail);
        finding.Message.Should().Contain("TLS 1.0").And.NotContain("TLS 1.3");
    }

    [Fact]
    public void Sec_protocol_minimum_tls11_fails_with_w1()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(SecProtocolSetter(0x302)));
        var finding = app.Run(new WeakTlsMinimumRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Fail);
        finding.Evidence.Should().Contain("mov w1, #0x302").And.Contain("bytes 41608052").And.Contain("import sec_protocol_options_set_min_tls_protocol_version");
    }

    [Fact]
    public void Sec_protocol_minimum_tls13_passes()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(SecProtocolSetter(0x304)));
        app.Run(new WeakTlsMinimumRule()).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Pass);
    }

    [Fact]
    public void Constant_without_any_setter_is_ignored_and_the_rule_passes()
    {
        using var app = ScannedApp.WithExecutable(Clang.C("extern void take(int, int, int);\nint main(void){ take(0, 0, 0x301); return 0; }"));
        app.Run(new WeakTlsMinimumRule()).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Pass);
    }

    [Fact]
    public void Fat_binary_is_scanned_in_the_arm64_slice()
    {
        var arm64 = Clang.Build(new MachOSpec { Source = UrlSessionSetter(0x301) });
        var x64 = Clang.Build(new MachOSpec { Source = UrlSessionSetter(0x301), Architecture = "x86_64" });
        using var app = ScannedApp.WithExecutable(ClangToolchain.Instance.Fat(x64, arm64));
        app.Main.Executable!.IsFat.Should().BeTrue();
        app.Main.Executable.Primary!.SliceOffset.Should().BeGreaterThan(0);
        app.Run(new WeakTlsMinimumRule()).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Fail);
    }
}

public class Arm64ImmediateScannerTests
{
    [Theory]
    [InlineData(2, 0x301, new byte[] { 0x22, 0x60, 0x80, 0x52 })]
    [InlineData(2, 0x302, new byte[] { 0x42, 0x60, 0x80, 0x52 })]
    [InlineData(2, 0x303, new byte[] { 0x62, 0x60, 0x80, 0x52 })]
    [InlineData(1, 0x301, new byte[] { 0x21, 0x60, 0x80, 0x52 })]
    [InlineData(1, 0x302, new byte[] { 0x41, 0x60, 0x80, 0x52 })]
    public void Movz_encoding_matches_the_bytes_from_the_mastg_demos(int register, int value, byte[] bytes)
    {
        BitConverter.GetBytes(Arm64ImmediateScanner.EncodeMovzW(register, (ushort)value)).Should().Equal(bytes);
        Arm64ImmediateScanner.TryDecodeMovzW(BitConverter.ToUInt32(bytes), out var rd, out var imm).Should().BeTrue();
        rd.Should().Be(register);
        imm.Should().Be((ushort)value);
    }

    [Fact]
    public void Movz_of_x_registers_or_shifted_halfwords_is_not_decoded()
    {
        Arm64ImmediateScanner.TryDecodeMovzW(0xD2806022, out _, out _).Should().BeFalse(); // mov x2, #0x301
        Arm64ImmediateScanner.TryDecodeMovzW(0x52A06022, out _, out _).Should().BeFalse(); // mov w2, #0x301, lsl #16
    }

    private const uint Nop = 0xD503201F, Bl = 0x94000000;

    private static byte[] Code(params uint[] instructions) => instructions.SelectMany(BitConverter.GetBytes).ToArray();

    private static IReadOnlyList<Arm64ImmediateScanner.Hit> Scan(byte[] code, Stream? stream = null) =>
        Arm64ImmediateScanner.Scan(stream ?? new MemoryStream(code), code.Length, new HashSet<int> { 2 }, new HashSet<ushort> { 0x301, 0x302 });

    [Fact]
    public void Load_followed_by_a_call_within_the_window_is_a_hit()
    {
        var code = Code(Nop, Arm64ImmediateScanner.EncodeMovzW(2, 0x302), Nop, Nop, Bl);
        Scan(code).Should().ContainSingle().Which.Should().Be(new Arm64ImmediateScanner.Hit(4, 2, 0x302, 0x52806042));
    }

    [Fact]
    public void Load_without_a_call_in_the_window_is_not_a_hit()
    {
        var instructions = new List<uint> { Arm64ImmediateScanner.EncodeMovzW(2, 0x301) };
        instructions.AddRange(Enumerable.Repeat(Nop, Arm64ImmediateScanner.CallWindow));
        instructions.Add(Bl);
        Scan(Code([.. instructions])).Should().BeEmpty();
    }

    [Fact]
    public void Other_registers_and_values_are_ignored()
    {
        Scan(Code(Arm64ImmediateScanner.EncodeMovzW(3, 0x301), Bl, Arm64ImmediateScanner.EncodeMovzW(2, 0x303), Bl)).Should().BeEmpty();
    }

    [Fact]
    public void Hits_across_chunk_boundaries_and_one_byte_reads_are_found()
    {
        var instructions = new List<uint>();
        instructions.AddRange(Enumerable.Repeat(Nop, (64 * 1024 / 4) - 2)); // the load straddles the first 64 KiB chunk
        instructions.Add(Arm64ImmediateScanner.EncodeMovzW(2, 0x301));
        instructions.AddRange(Enumerable.Repeat(Nop, 3));
        instructions.Add(Bl);
        var code = Code([.. instructions]);
        Scan(code).Should().ContainSingle().Which.Offset.Should().Be((ulong)(64 * 1024 - 8));
        Scan(code, new TrickleStream(code)).Should().ContainSingle().Which.Offset.Should().Be((ulong)(64 * 1024 - 8));
    }

    /// <summary>A forward-only stream that returns at most 3 bytes per read, like a slow inflater.</summary>
    private sealed class TrickleStream(byte[] data) : Mstg.IO.ReadOnlyStream(new MemoryStream(data))
    {
        public override int Read(Span<byte> buffer) => Inner.Read(buffer[..Math.Min(3, buffer.Length)]);
        public override long Position { get => Inner.Position; set => throw new NotSupportedException(); }
    }
}
