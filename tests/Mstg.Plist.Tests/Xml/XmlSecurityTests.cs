using System.Diagnostics;
using static Mstg.Plist.Tests.PlistAssert;

namespace Mstg.Plist.Tests.Xml;

/// <summary>
/// Hostile XML: entity expansion and external entities must be refused with a typed error, never expanded or
/// fetched. Apple's own DOCTYPE (an external DTD reference without an internal subset) must keep working.
/// </summary>
public class XmlSecurityTests
{
    [Fact]
    public void Refuses_an_external_file_entity_without_reading_the_file()
    {
        // A file with a unique marker: if the reader ever opened it, the marker would land in the string value.
        var secret = Path.Combine(Path.GetTempPath(), $"plist-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "SECRET-MARKER-7f3a");
        try
        {
            var text = $"""
                <?xml version="1.0"?>
                <!DOCTYPE plist [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
                <plist><string>&xxe;</string></plist>
                """;
            var error = Fails(() => ReadText(text, "xxe.plist"), "xxe.plist", "line 2, column 11",
                "DOCTYPE declares entities; entity declarations are refused and never expanded");
            error.Message.Should().NotContain("SECRET-MARKER");
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Refuses_the_etc_passwd_classic()
    {
        var text = """
            <?xml version="1.0"?>
            <!DOCTYPE plist [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <plist><string>&xxe;</string></plist>
            """;
        var error = Fails(() => ReadText(text, "passwd.plist"), "passwd.plist", "line 2, column 11", "DOCTYPE declares entities");
        error.Message.Should().NotContain("root:");
    }

    [Fact]
    public void Refuses_an_external_parameter_entity()
    {
        var text = """
            <?xml version="1.0"?>
            <!DOCTYPE plist [ <!ENTITY % remote SYSTEM "file:///etc/passwd"> %remote; ]>
            <plist><string>x</string></plist>
            """;
        var error = FluentActions.Invoking(() => ReadText(text, "pe.plist")).Should().Throw<PlistFormatException>().Which;
        error.Message.Should().StartWith("pe.plist: line 2").And.NotContain("root:");
    }

    [Fact]
    public void Refuses_billion_laughs_quickly()
    {
        var lines = new List<string> { "<!ENTITY lol0 \"lol\">" };
        for (int i = 1; i <= 9; i++)
            lines.Add($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE plist [\n" + string.Join("\n", lines) + "\n]>\n<plist><string>&lol9;</string></plist>";

        var clock = Stopwatch.StartNew();
        Fails(() => ReadText(text, "lol.plist"), "lol.plist", "line 2, column 11", "DOCTYPE declares entities");
        // Not a speed assertion: a generous bound that only an actual expansion (10^9 "lol"s) could break.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Refuses_any_internal_subset_even_without_entities()
    {
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE plist [ <!ELEMENT plist ANY> ]>\n<plist><string>x</string></plist>";
        Fails(() => ReadText(text, "subset.plist"), "subset.plist", "line 2, column 11", "DOCTYPE has an internal subset");
    }

    [Fact]
    public void Never_loads_an_external_dtd_even_when_it_exists()
    {
        // If the reader ever loaded this DTD, &leak; would expand to its text; unloaded, the entity is undeclared.
        var dtd = Path.Combine(Path.GetTempPath(), $"plist-dtd-{Guid.NewGuid():N}.dtd");
        File.WriteAllText(dtd, "<!ENTITY leak \"LEAKED-FROM-DTD\">");
        try
        {
            var text = $"<?xml version=\"1.0\"?>\n<!DOCTYPE plist SYSTEM \"file://{dtd}\">\n<plist><string>&leak;</string></plist>";
            var error = Fails(() => ReadText(text, "dtd.plist"), "dtd.plist", "line 3, column 17",
                "not well-formed XML: Reference to undeclared entity 'leak'");
            error.Message.Should().NotContain("LEAKED");
        }
        finally
        {
            File.Delete(dtd);
        }
    }

    [Fact]
    public void Does_not_fetch_the_external_dtd_of_a_private_doctype()
    {
        // An unresolvable external DTD is never fetched, so it cannot fail the read.
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE plist SYSTEM \"file:///nonexistent/evil.dtd\">\n<plist><string>x</string></plist>";
        ReadText(text).Root.Should().BeOfType<PlistString>().Which.Value.Should().Be("x");
    }
}
