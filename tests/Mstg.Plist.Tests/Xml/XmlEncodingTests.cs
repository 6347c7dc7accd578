using System.Text;

namespace Mstg.Plist.Tests.Xml;

public class XmlEncodingTests
{
    private static PlistNode Read(byte[] bytes) => PlistReader.Read(bytes, "enc.plist").Root;

    [Fact]
    public void Reads_utf16_xml_with_a_bom()
    {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><plist><string>ключ</string></plist>";
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();
        ((PlistString)Read(bytes)).Value.Should().Be("ключ");
    }

    [Fact]
    public void Reads_latin1_xml()
    {
        var bytes = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><plist><string>caf\u00e9</string></plist>");
        ((PlistString)Read(bytes)).Value.Should().Be("café");
    }

    [Theory]
    [InlineData("windows-1252")]
    [InlineData("no-such-encoding")]
    [InlineData("UTF-32")]
    public void Unsupported_or_wrong_declared_encodings_give_a_typed_error(string encoding)
    {
        var bytes = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"{encoding}\"?><plist><string>x</string></plist>");
        var act = () => Read(bytes);
        act.Should().Throw<PlistFormatException>().Which.Message.Should().StartWith("enc.plist: line 1");
    }

    [Fact]
    public void Invalid_utf8_gives_a_typed_error()
    {
        var bytes = Encoding.UTF8.GetBytes("<plist><string>ab</string></plist>");
        bytes[16] = 0xC3; // a lead byte followed by ASCII
        FluentActions.Invoking(() => Read(bytes)).Should().Throw<PlistFormatException>()
            .Which.Message.Should().StartWith("enc.plist: line 1").And.Contain("not well-formed XML");
    }

    [Fact]
    public async Task Nesting_at_the_default_limit_is_read_on_a_thread_pool_thread()
    {
        // 511 levels, just inside the default 512, must not exhaust the (smaller) thread pool stack.
        int levels = PlistReaderOptions.Default.MaxDepth - 1;
        var xml = "<plist>" + string.Concat(Enumerable.Repeat("<array>", levels)) + string.Concat(Enumerable.Repeat("</array>", levels)) + "</plist>";
        var openStep = new string('(', levels) + new string(')', levels);
        var b = new Binary.BplistBuilder { RefSize = 2 };
        for (int i = 0; i < levels - 1; i++) b.Array(i + 1);
        b.Array();

        await Task.Run(() =>
        {
            PlistReader.Read(Encoding.UTF8.GetBytes(xml), "x").Root.Should().BeOfType<PlistArray>();
            PlistReader.Read(Encoding.UTF8.GetBytes(openStep), "o").Root.Should().BeOfType<PlistArray>();
            PlistReader.Read(b.Build(), "b").Root.Should().BeOfType<PlistArray>();
        }, TestContext.Current.CancellationToken);
    }
}
