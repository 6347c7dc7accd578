using System.Numerics;
using static Mstg.Plist.Tests.PlistAssert;

namespace Mstg.Plist.Tests.Xml;

public class XmlReaderTests
{
    [Fact]
    public void Reads_every_value_type_with_positions()
    {
        var root = (PlistDict)ReadXmlBody("""
            <dict>
              <key>s</key><string>a &amp; b &#x41; <![CDATA[<raw>]]></string>
              <key>i</key><integer>-42</integer>
              <key>h</key><integer>0x1F</integer>
              <key>big</key><integer>18446744073709551615</integer>
              <key>r</key><real>1.5e3</real>
              <key>t</key><true/>
              <key>f</key><false />
              <key>d</key><date>2024-01-31T12:34:56Z</date>
              <key>b</key><data>
                AAEC
                /w==
              </data>
              <key>a</key><array><string>x</string><dict/></array>
              <key>e</key><string/>
            </dict>
            """);

        ((PlistString)root["s"]!).Value.Should().Be("a & b A <raw>");
        ((PlistInteger)root["i"]!).Value.Should().Be(-42);
        ((PlistInteger)root["h"]!).Value.Should().Be(31);
        ((PlistInteger)root["big"]!).Value.Should().Be(new BigInteger(ulong.MaxValue));
        ((PlistReal)root["r"]!).Value.Should().Be(1500.0);
        ((PlistBoolean)root["t"]!).Value.Should().BeTrue();
        ((PlistBoolean)root["f"]!).Value.Should().BeFalse();
        ((PlistDate)root["d"]!).Value.Should().Be(new DateTimeOffset(2024, 1, 31, 12, 34, 56, TimeSpan.Zero));
        ((PlistData)root["b"]!).Value.ToArray().Should().Equal(0, 1, 2, 0xFF);
        var array = (PlistArray)root["a"]!;
        array.IsSet.Should().BeFalse();
        array[0].Should().BeOfType<PlistString>().Which.Value.Should().Be("x");
        array[1].Should().BeOfType<PlistDict>().Which.Count.Should().Be(0);
        ((PlistString)root["e"]!).Value.Should().BeEmpty();

        root.Position.Should().Be(PlistPosition.AtLine(4, 1));
        root.GetEntry("i")!.KeyPosition.Should().Be(PlistPosition.AtLine(6, 3));
        root["i"]!.Position.Should().Be(PlistPosition.AtLine(6, 15));
    }

    [Theory]
    [InlineData("nan", double.NaN)]
    [InlineData("+infinity", double.PositiveInfinity)]
    [InlineData("-infinity", double.NegativeInfinity)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("-0.25", -0.25)]
    [InlineData(" 3 ", 3.0)]
    public void Reads_reals_as_apple_writes_them(string text, double expected) =>
        ((PlistReal)ReadXmlBody($"<real>{text}</real>")).Value.Should().Be(expected);

    [Fact]
    public void Accepts_the_old_apple_computer_doctype_comments_and_a_bom()
    {
        var text = "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
                   "<!DOCTYPE plist PUBLIC \"-//Apple Computer//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" +
                   "<!-- a comment --><plist version=\"1.0\"><!-- c --><dict><!-- c --><key>k</key><!-- c --><string>v</string></dict></plist>";
        var root = (PlistDict)ReadText(text).Root;
        root["k"].Should().BeOfType<PlistString>().Which.Value.Should().Be("v");
    }

    [Fact]
    public void Keeps_a_cf_uid_dict_as_a_dict()
    {
        var node = ReadXmlBody("<dict><key>CF$UID</key><integer>7</integer></dict>");
        node.Should().BeOfType<PlistDict>().Which["CF$UID"].Should().BeOfType<PlistInteger>().Which.Value.Should().Be(7);
    }

    [Fact]
    public void Reads_a_bare_value_without_a_plist_wrapper()
    {
        ReadText("<array><integer>1</integer></array>").Root.Should().BeOfType<PlistArray>().Which.Count.Should().Be(1);
    }

    [Theory]
    [InlineData("<dict><string>v</string></dict>", "line 4, column 7", "<string> where a <key> was expected in dict")]
    [InlineData("<dict><key>k</key></dict>", "line 4, column 7", "key 'k' has no value")]
    [InlineData("<dict><key>a</key><key>b</key></dict>", "line 4, column 19", "key 'a' has no value (another <key> follows it)")]
    [InlineData("<blob/>", "line 4, column 1", "unknown tag <blob>")]
    [InlineData("<key>k</key>", "line 4, column 1", "<key> outside a dict")]
    [InlineData("<integer>12a</integer>", "line 4, column 1", "bad integer '12a'")]
    [InlineData("<integer></integer>", "line 4, column 1", "bad integer ''")]
    [InlineData("<integer>12345678901234567890123456789012345678901</integer>", "line 4, column 1", "bad integer")]
    [InlineData("<integer>0x</integer>", "line 4, column 1", "bad integer '0x'")]
    [InlineData("<integer>999999999999999999999999999999999999999</integer>", "line 4, column 1", "does not fit in 128 bits")]
    [InlineData("<real>one</real>", "line 4, column 1", "bad real 'one'")]
    [InlineData("<date>2024-01-31</date>", "line 4, column 1", "bad date '2024-01-31'")]
    [InlineData("<data>!!!!</data>", "line 4, column 1", "bad base64 in <data> '!!!!'")]
    [InlineData("<true>yes</true>", "line 4, column 1", "<true> must be empty")]
    [InlineData("<string>a<b/>c</string>", "line 4, column 10", "unexpected <b> inside <string>")]
    [InlineData("<array>\n  stray</array>", "line 5, column 3", "text 'stray' outside an element inside <array>")]
    [InlineData("<string>a</string><string>b</string>", "line 4, column 19", "<plist> holds more than one value")]
    [InlineData("<string>&undeclared;</string>", "line 4, column 10", "not well-formed XML: Reference to undeclared entity 'undeclared'")]
    [InlineData("<dict><key>k</key><string>v</dict>", "line 4, column 30", "not well-formed XML")]
    public void Refuses_bad_plists_naming_file_place_and_problem(string body, string place, string problem)
    {
        var text = XmlHeader + "<plist version=\"1.0\">\n" + body + "\n</plist>\n";
        Fails(() => ReadText(text, "bad.plist"), "bad.plist", place, problem);
    }

    [Fact]
    public void Refuses_an_empty_plist_element()
    {
        Fails(() => ReadText(XmlHeader + "<plist version=\"1.0\"/>"), "test.plist", "line 3, column 1", "<plist> holds no value");
        Fails(() => ReadText(XmlHeader + "<plist>\n</plist>"), "test.plist", "line 3, column 1", "<plist> holds no value");
    }

    [Fact]
    public void Refuses_nesting_deeper_than_the_limit()
    {
        var body = string.Concat(Enumerable.Repeat("<array>", 20)) + string.Concat(Enumerable.Repeat("</array>", 20));
        var options = new PlistReaderOptions { MaxDepth = 10 };
        Fails(() => ReadText(XmlHeader + "<plist>" + body + "</plist>", options: options), "test.plist", "line 3, column 78",
            "nesting deeper than the limit of 10");

        // The same document is fine with the default limit.
        ReadText(XmlHeader + "<plist>" + body + "</plist>").Root.Should().BeOfType<PlistArray>();
    }

    [Fact]
    public void Refuses_input_larger_than_the_limit_before_parsing()
    {
        var options = new PlistReaderOptions { MaxInputBytes = 100 };
        var text = XmlHeader + "<plist><string>" + new string('x', 200) + "</string></plist>";
        Fails(() => ReadText(text, options: options), "test.plist", "byte 0x0", "more than the limit of 100");
        Fails(() => PlistReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "s.plist", options),
            "s.plist", "byte 0x0", "more than the limit of 100");
    }
}
