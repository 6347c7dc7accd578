using System.Text;

namespace Mstg.Plist.Tests;

/// <summary>The entry point: format detection, the stream and file overloads and their errors.</summary>
public class PlistReaderTests
{
    [Theory]
    [InlineData("bplist00", PlistFormat.Binary)]
    [InlineData("<?xml version=\"1.0\"?><plist/>", PlistFormat.Xml)]
    [InlineData("\n\t  <plist>", PlistFormat.Xml)]
    [InlineData("\uFEFF<dict/>", PlistFormat.Xml)]
    [InlineData("<data>", PlistFormat.Xml)]
    [InlineData("<ab cd>", PlistFormat.OpenStep)]
    [InlineData("< 0f >", PlistFormat.OpenStep)]
    [InlineData("<>", PlistFormat.OpenStep)]
    [InlineData("{ a = b; }", PlistFormat.OpenStep)]
    [InlineData("\"a\" = \"b\";", PlistFormat.OpenStep)]
    public void Detects_the_format_from_the_first_bytes(string start, PlistFormat expected) =>
        PlistReader.DetectFormat(Encoding.UTF8.GetBytes(start)).Should().Be(expected);

    [Fact]
    public void Detects_utf16_xml_without_a_bom() =>
        PlistReader.DetectFormat(Encoding.BigEndianUnicode.GetBytes("  <plist>")).Should().Be(PlistFormat.Xml);

    [Fact]
    public void Reads_from_a_non_seekable_stream_and_refuses_one_over_the_limit()
    {
        var bytes = Encoding.UTF8.GetBytes("{ a = b; }");
        PlistReader.Read(new OneWayStream(bytes), "pipe").Root.Should().BeOfType<PlistDict>();

        var big = new byte[200_000];
        var act = () => PlistReader.Read(new OneWayStream(big), "pipe", new PlistReaderOptions { MaxInputBytes = 100_000 });
        act.Should().Throw<PlistFormatException>().WithMessage("pipe: byte 0x*: input is more than the limit of 100000 bytes");
    }

    [Fact]
    public void ReadFile_of_a_missing_file_gives_a_typed_error()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "Info.plist");
        var act = () => PlistReader.ReadFile(path);
        act.Should().Throw<PlistFormatException>().Which.Message.Should().StartWith($"{path}: unknown position: cannot open file");
    }

    [Fact]
    public void Empty_input_is_refused()
    {
        var act = () => PlistReader.Read(ReadOnlyMemory<byte>.Empty, "empty.plist");
        act.Should().Throw<PlistFormatException>().WithMessage("empty.plist: byte 0x0: input is empty");
    }

    [Fact]
    public void Errors_are_MstgInputExceptions_with_their_parts()
    {
        var error = FluentActions.Invoking(() => PlistAssert.ReadText("<plist><nope/></plist>", "x.plist"))
            .Should().Throw<PlistFormatException>().Which;
        error.Should().BeAssignableTo<MstgInputException>();
        error.Source.Should().Be("x.plist");
        error.Place.Should().Be("line 1, column 8");
        error.Problem.Should().Be("unknown tag <nope>");
    }

    /// <summary>A stream that can only be read forward, like a pipe or a zip entry.</summary>
    private sealed class OneWayStream(byte[] data) : Mstg.IO.ReadOnlyStream(new MemoryStream(data))
    {
        public override int Read(Span<byte> buffer) => Inner.Read(buffer[..Math.Min(buffer.Length, 4096)]);
    }
}
