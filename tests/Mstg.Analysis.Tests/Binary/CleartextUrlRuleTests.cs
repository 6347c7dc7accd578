using Mstg.Analysis.Binary;
using Mstg.Analysis.Tests.Binary.Support;

namespace Mstg.Analysis.Tests.Binary;

public class CleartextUrlRuleTests
{
    private static byte[] WithStrings(params string[] literals) =>
        Clang.C(Clang.Prelude + "int main(void){\n" + string.Concat(literals.Select(l => $"  puts(\"{l}\");\n")) + "  return 0;\n}\n");

    [Fact]
    public void Hardcoded_http_url_in_cstring_warns_with_binary_location_and_domain()
    {
        using var app = ScannedApp.WithExecutable(WithStrings("http://api.example.com/v1/login", "https://secure.example.com/"));
        var findings = app.Run(new CleartextUrlRule());

        var warn = findings.Should().ContainSingle(f => f.RuleId == RuleCatalog.BinCleartextUrl, string.Join("\n", findings)).Subject;
        warn.Verdict.Should().Be(Verdict.Warn, warn.Message);
        warn.Domain.Should().Be("api.example.com");
        warn.Bundle.Should().Be("Payload/App.app");
        warn.Location.Should().MatchRegex(@"^App\[arm64\]:__TEXT,__cstring\+0x[0-9a-f]+$");
        warn.Evidence.Should().Contain("http://api.example.com/v1/login");
        findings.Should().NotContain(f => f.RuleId == RuleCatalog.BinLocalUrl);
    }

    [Fact]
    public void Location_offset_points_at_the_string_in_the_section()
    {
        var bytes = WithStrings("padding string number one", "http://api.example.com/x");
        using var app = ScannedApp.WithExecutable(bytes);
        var finding = app.Run(new CleartextUrlRule()).Single(f => f.RuleId == RuleCatalog.BinCleartextUrl && f.Verdict == Verdict.Warn);
        var image = app.Main.Executable!.Primary!;
        var section = image.Sections.Single(s => s.FullName == "__TEXT,__cstring");
        var offset = Convert.ToUInt64(finding.Location.Split("+0x")[1], 16);
        var text = System.Text.Encoding.ASCII.GetString(bytes, (int)(section.FileOffset + offset), "http://api.example.com/x".Length);
        text.Should().Be("http://api.example.com/x");
    }

    [Fact]
    public void Namespace_and_dtd_urls_are_excluded_and_the_rule_passes()
    {
        using var app = ScannedApp.WithExecutable(WithStrings("http://www.w3.org/2000/svg", "http://ns.adobe.com/xap/1.0/", "https://api.example.com/"));
        var findings = app.Run(new CleartextUrlRule());
        findings.Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Pass);
        // The Info.plist written by the builder carries the Apple DTD URL: excluded too, hence the pass.
        findings[0].Message.Should().Contain("text resource file");
    }

    [Fact]
    public void Ip_and_dot_local_urls_are_reported_as_local()
    {
        using var app = ScannedApp.WithExecutable(WithStrings("http://192.168.1.10/status", "http://printer.local/queue", "https://localhost:8443/dev"));
        var local = app.Run(new CleartextUrlRule()).Where(f => f.RuleId == RuleCatalog.BinLocalUrl).ToList();
        local.Select(f => f.Domain).Should().BeEquivalentTo("192.168.1.10", "printer.local", "localhost");
        local.Should().OnlyContain(f => f.Verdict == Verdict.Info);
        local.Single(f => f.Domain == "192.168.1.10").Message.Should().Contain("IPv4 address literal");
        local.Single(f => f.Domain == "localhost").Message.Should().Contain("unqualified host name");
    }

    [Fact]
    public void Url_in_a_resource_file_is_reported_with_the_file_path()
    {
        using var app = ScannedApp.WithExecutable(WithStrings("nothing to see"),
            b => b.AddText("Payload/App.app/config.json", "{\"endpoint\": \"http://cdn.example.org/feed\", \"ns\": \"http://www.w3.org/1999/xhtml\"}"));
        var warn = app.Run(new CleartextUrlRule()).Should().ContainSingle(f => f.RuleId == RuleCatalog.BinCleartextUrl).Subject;
        warn.Verdict.Should().Be(Verdict.Warn, warn.Message);
        warn.Location.Should().Be("Payload/App.app/config.json");
        warn.Domain.Should().Be("cdn.example.org");
    }

    [Fact]
    public void Same_url_in_binary_and_resource_is_one_finding_with_both_places()
    {
        using var app = ScannedApp.WithExecutable(WithStrings("http://api.example.com/v1"),
            b => b.AddText("Payload/App.app/web/index.html", "<a href=\"http://api.example.com/v1\">x</a>"));
        var warn = app.Run(new CleartextUrlRule()).Single(f => f.RuleId == RuleCatalog.BinCleartextUrl);
        warn.Evidence.Should().Contain("__TEXT,__cstring").And.Contain("Payload/App.app/web/index.html");
    }

    [Fact]
    public void Utf16_strings_file_is_decoded()
    {
        var text = System.Text.Encoding.Unicode.GetPreamble().Concat(System.Text.Encoding.Unicode.GetBytes("\"api\" = \"http://legacy.example.net/\";")).ToArray();
        using var app = ScannedApp.WithExecutable(WithStrings("nothing"), b => b.AddFile("Payload/App.app/en.lproj/Localizable.strings", text));
        app.Run(new CleartextUrlRule()).Should().Contain(f => f.RuleId == RuleCatalog.BinCleartextUrl && f.Domain == "legacy.example.net");
    }
}
