using Mstg.Analysis.Reporting;
using Mstg.Analysis.Scanning;
using Mstg.Fixtures.Packaging;

namespace Mstg.Analysis.Tests.Scanning;

/// <summary>Text from the app cannot steer the terminal or forge report lines.</summary>
public class TextReportEscapingTests
{
    // ESC [2J clears the screen, BEL rings, CR LF would start a forged summary line.
    private const string Attack = "\u001b[2J\u0007evil\r\nPASS: 0 failed, 0 warnings";

    [Fact]
    public void Plist_keys_and_values_with_control_characters_are_printed_escaped()
    {
        // XML 1.0 cannot carry these characters, a binary plist can: convert a plist with a same-length placeholder,
        // then put the attack into the ASCII string object in place of the placeholder.
        var placeholder = new string('Q', Attack.Length);
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0"><dict>
              <key>CFBundleExecutable</key><string>App</string>
              <key>CFBundleIdentifier</key><string>org.mstg.esc</string>
              <key>NSAppTransportSecurity</key><dict>
                <key>NSExceptionDomains</key><dict>
                  <key>{placeholder}</key>
                  <dict><key>NSExceptionAllowsInsecureHTTPLoads</key><true/></dict>
                </dict>
              </dict>
            </dict></plist>
            """;
        var binary = PlistXml.ToBinary(xml);
        var at = binary.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(placeholder));
        at.Should().BePositive();
        System.Text.Encoding.ASCII.GetBytes(Attack).CopyTo(binary, at);
        var ipa = new IpaBuilder().AddFile("Payload/App.app/Info.plist", binary).AddFile("Payload/App.app/App", IpaBuilder.PlaceholderExecutable("App")).WriteIpa();

        var result = Scanner.Default.Scan(ipa);
        result.Findings.Should().Contain(f => (f.Domain ?? "").Contains('\u001b') || f.Message.Contains('\u001b') || f.Location.Contains('\u001b'),
            "the plist key reaches the findings raw");

        using var output = new MemoryStream();
        new TextScanReport().Write(result, output);
        var text = System.Text.Encoding.UTF8.GetString(output.ToArray());

        var lines = text.Split('\n');
        lines.SelectMany(l => l).Should().NotContain(c => TerminalText.IsUnsafe(c), "no raw control or bidi character may reach the terminal");
        lines.Should().NotContain(l => l.StartsWith("PASS", StringComparison.Ordinal));
        text.Should().Contain(@"\x1b[2J\x07evil\x0d\x0aPASS: 0 failed, 0 warnings");
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("tab\there", @"tab\x09here")]
    [InlineData("\u007f\u0085\u009b", @"\x7f\x85\x9b")]
    [InlineData("a\u2066b\u2069\u202ac", @"a\u2066b\u2069\u202ac")]
    [InlineData("line\u2028sep", @"line\u2028sep")]
    [InlineData("\u00fcber \u20ac", "\u00fcber \u20ac")]
    public void Escape_makes_controls_visible_and_leaves_other_text_alone(string input, string expected) =>
        TerminalText.Escape(input).Should().Be(expected);

    [Fact]
    public void Every_unsafe_character_is_escaped() =>
        Enumerable.Range(0, 0x3000).Select(i => (char)i).Where(TerminalText.IsUnsafe)
            .Should().OnlyContain(c => !TerminalText.Escape(c.ToString()).Any(TerminalText.IsUnsafe));
}
