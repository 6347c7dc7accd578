using System.Text;

namespace Mstg.Plist.Tests;

/// <summary>Small helpers shared by the format tests.</summary>
internal static class PlistAssert
{
    public const string XmlHeader =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n";

    public static PlistDocument ReadText(string text, string source = "test.plist", PlistReaderOptions? options = null) =>
        PlistReader.Read(Encoding.UTF8.GetBytes(text), source, options);

    /// <summary>Reads an XML plist whose body (inside &lt;plist&gt;) is given; the body starts on line 4.</summary>
    public static PlistNode ReadXmlBody(string body) =>
        ReadText(XmlHeader + "<plist version=\"1.0\">\n" + body + "\n</plist>\n").Root;

    /// <summary>Asserts reading fails with a typed error whose message holds the source, the place and the problem.</summary>
    public static PlistFormatException Fails(Func<PlistDocument> read, string source, string place, string problem)
    {
        var error = FluentActions.Invoking(read).Should().Throw<PlistFormatException>().Which;
        error.Source.Should().Be(source);
        error.Message.Should().StartWith($"{source}: {place}: ").And.Contain(problem);
        return error;
    }
}
