using System.Text;
using static Mstg.Plist.Tests.PlistAssert;

namespace Mstg.Plist.Tests.OpenStep;

public class OpenStepReaderTests
{
    [Fact]
    public void Reads_dicts_arrays_data_and_both_kinds_of_string_with_positions()
    {
        var doc = ReadText("""
            // a NeXT-style plist
            {
                CFBundleName = "My App";   /* quoted */
                Version = 1.0.3-beta_2;
                Paths = ( /usr/lib, "a b", $HOME:x+y );
                Empty = ();
                Blob = <0fbd 77
                        A0>;
                Nested = { inner = 'single'; };
            }
            """, "old.plist");

        doc.Format.Should().Be(PlistFormat.OpenStep);
        var root = (PlistDict)doc.Root;
        root.Position.Should().Be(PlistPosition.AtLine(2, 1));
        ((PlistString)root["CFBundleName"]!).Value.Should().Be("My App");
        ((PlistString)root["Version"]!).Value.Should().Be("1.0.3-beta_2");
        root.GetEntry("Version")!.KeyPosition.Should().Be(PlistPosition.AtLine(4, 5));
        root["Version"]!.Position.Should().Be(PlistPosition.AtLine(4, 15));
        ((PlistArray)root["Paths"]!).Items.Select(i => ((PlistString)i).Value).Should().Equal("/usr/lib", "a b", "$HOME:x+y");
        ((PlistArray)root["Empty"]!).Count.Should().Be(0);
        ((PlistData)root["Blob"]!).Value.ToArray().Should().Equal(0x0F, 0xBD, 0x77, 0xA0);
        ((PlistString)((PlistDict)root["Nested"]!)["inner"]!).Value.Should().Be("single");
    }

    [Theory]
    [InlineData(@"""a\nb""", "a\nb")]
    [InlineData(@"""tab\there""", "tab\there")]
    [InlineData(@"""q\""q""", "q\"q")]
    [InlineData(@"""back\\slash""", "back\\slash")]
    [InlineData(@"""\U00e9t\u00E9""", "été")]
    [InlineData(@"""\101\102\0103""", "AB\b3")]
    [InlineData(@"""\z""", "z")]
    public void Decodes_escapes_in_quoted_strings(string literal, string expected) =>
        ((PlistString)ReadText(literal).Root).Value.Should().Be(expected);

    [Fact]
    public void Reads_a_strings_file_without_braces()
    {
        var root = (PlistDict)ReadText("/* Localizable.strings */\n\"hello\" = \"Bonjour\";\n\"bye\" = \"Au revoir\";\n\"same\";\n").Root;
        root.Keys.Should().Equal("hello", "bye", "same");
        ((PlistString)root["bye"]!).Value.Should().Be("Au revoir");
        ((PlistString)root["same"]!).Value.Should().Be("same");
        root.GetEntry("bye")!.KeyPosition.Should().Be(PlistPosition.AtLine(3, 1));
    }

    [Fact]
    public void Reads_a_utf16_strings_file_with_a_bom()
    {
        var bytes = Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes("\"k\" = \"ключ\";")).ToArray();
        var doc = PlistReader.Read(bytes, "utf16.strings");
        doc.Format.Should().Be(PlistFormat.OpenStep);
        ((PlistString)((PlistDict)doc.Root)["k"]!).Value.Should().Be("ключ");
    }

    [Fact]
    public void Accepts_a_missing_last_semicolon_and_a_trailing_comma()
    {
        var root = (PlistDict)ReadText("{ a = (x, y,); b = c }").Root;
        ((PlistArray)root["a"]!).Count.Should().Be(2);
        ((PlistString)root["b"]!).Value.Should().Be("c");
    }

    [Fact]
    public void Top_level_data_literal_is_openstep_not_xml()
    {
        var doc = ReadText("  <deadbeef>");
        doc.Format.Should().Be(PlistFormat.OpenStep);
        ((PlistData)doc.Root).Value.ToArray().Should().Equal(0xDE, 0xAD, 0xBE, 0xEF);
        // and a real XML element starting with hex letters still goes to the XML reader
        PlistReader.DetectFormat(Encoding.UTF8.GetBytes("<dict/>")).Should().Be(PlistFormat.Xml);
    }

    [Fact]
    public void Whitespace_only_text_is_an_empty_strings_file() =>
        ((PlistDict)ReadText("  // nothing\n").Root).Count.Should().Be(0);

    [Theory]
    [InlineData("{ a = b; c = d", "line 1, column 15", "text ends inside the dict opened at line 1, column 1")]
    [InlineData("{ a = b c = d; }", "line 1, column 9", "expected ';' after the value of dict key 'a' but found 'c'")]
    [InlineData("{ a b; }", "line 1, column 5", "expected '=' after dict key 'a' but found 'b'")]
    [InlineData("{ = b; }", "line 1, column 3", "unexpected '=' where a dict key was expected")]
    [InlineData("{ a = ; }", "line 1, column 7", "unexpected ';' where a value was expected")]
    [InlineData("{\n  a = \"open;\n}", "line 2, column 7", "string opened with \" is never closed")]
    [InlineData("( a b )", "line 1, column 5", "expected ',' or ')' in the array opened at line 1, column 1 but found 'b'")]
    [InlineData("( a, ", "line 1, column 6", "text ends inside the array opened at line 1, column 1")]
    [InlineData("<0fz>", "line 1, column 4", "'z' is not a hex digit in data")]
    [InlineData("<0f1>", "line 1, column 5", "data has an odd number of hex digits")]
    [InlineData("<0f", "line 1, column 1", "data '<' is never closed with '>'")]
    [InlineData("{ a = b; } junk", "line 1, column 12", "unexpected 'j' after the top-level value")]
    [InlineData("/* open", "line 1, column 1", "comment '/*' is never closed")]
    [InlineData("\"\\U\"", "line 1, column 2", "\\U escape without hex digits")]
    [InlineData("{ a = #; }", "line 1, column 7", "unexpected '#' where a value was expected")]
    public void Refuses_bad_text_naming_file_place_and_problem(string text, string place, string problem) =>
        Fails(() => ReadText(text, "bad.plist"), "bad.plist", place, problem);

    [Fact]
    public void Refuses_invalid_utf8()
    {
        Fails(() => PlistReader.Read(new byte[] { (byte)'"', 0xC3, 0x28, (byte)'"' }, "enc.plist"), "enc.plist", "byte 0x1", "text is not valid UTF-8");
    }

    [Fact]
    public void Refuses_nesting_deeper_than_the_limit()
    {
        var text = new string('(', 50) + new string(')', 50);
        Fails(() => ReadText(text, "deep.plist", new PlistReaderOptions { MaxDepth = 10 }), "deep.plist", "line 1, column 11", "nesting deeper than the limit of 10");
        ReadText(text).Root.Should().BeOfType<PlistArray>();
    }
}
