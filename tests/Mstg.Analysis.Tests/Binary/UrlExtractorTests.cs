using System.Text;
using Mstg.Analysis.Binary.Urls;

namespace Mstg.Analysis.Tests.Binary;

public class UrlExtractorTests
{
    [Theory]
    [InlineData("see http://api.example.com/v1.", "http://api.example.com/v1", "api.example.com")]
    [InlineData("(http://example.org/a?b=c#d)", "http://example.org/a?b=c#d", "example.org")]
    [InlineData("\"http://user:pw@Host.Example.com:8080/x\"", "http://user:pw@Host.Example.com:8080/x", "host.example.com")]
    [InlineData("HTTP://EXAMPLE.COM/", "http://EXAMPLE.COM/", "example.com")]
    [InlineData("http://[fe80::1]:80/", "http://[fe80::1]:80/", "[fe80::1]")]
    [InlineData("http://%@/api/%d", "http://%@/api/%d", null)]
    [InlineData("<a href='http://a.example/'>", "http://a.example/", "a.example")]
    public void Extracts_url_and_host(string text, string url, string? host)
    {
        var found = UrlExtractor.Extract(text).Should().ContainSingle().Subject;
        found.Url.Should().Be(url);
        found.Host.Should().Be(host);
    }

    [Fact]
    public void Finds_several_urls_and_skips_bare_schemes()
    {
        UrlExtractor.Extract("if (hasPrefix(\"http://\")) load(\"http://a.example/\") else load(\"https://b.example/\")")
            .Select(u => u.Url).Should().Equal("http://a.example/", "https://b.example/");
    }

    [Theory]
    [InlineData("http://10.0.0.1/", "IPv4 address literal")]
    [InlineData("http://[::1]:8080/", "IPv6 address literal")]
    [InlineData("http://printer.local/", ".local (multicast DNS) host")]
    [InlineData("http://devbox:3000/", "unqualified host name")]
    [InlineData("http://api.example.com/", null)]
    [InlineData("http://%@/", null)]
    public void Classifies_hosts_ats_does_not_protect(string url, string? reason) =>
        UrlExtractor.Extract(url).Single().LocalReason.Should().Be(reason);

    [Theory]
    [InlineData("http://www.apple.com/DTDs/PropertyList-1.0.dtd", true)]
    [InlineData("http://www.w3.org/2000/svg", true)]
    [InlineData("http://ns.adobe.com/xap/1.0/", true)]
    [InlineData("http://schemas.xmlsoap.org/soap/envelope/", true)]
    [InlineData("http://purl.org/dc/elements/1.1/", true)]
    [InlineData("http://ocsp.digicert.com", true)]
    [InlineData("http://crl.apple.com/root.crl", true)]
    [InlineData("http://www.apple.com/support/", false)]
    [InlineData("http://w3.org.evil.example/", false)]
    [InlineData("http://api.example.com/", false)]
    public void Default_exclusions_cover_identifiers_only(string url, bool excluded) =>
        (UrlExclusions.Default.Match(UrlExtractor.Extract(url).Single()) is not null).Should().Be(excluded);

    [Fact]
    public void Every_exclusion_has_a_documented_reason() =>
        UrlExclusions.Default.Entries.Should().OnlyContain(e => e.Reason.Length > 10);

    [Theory]
    [InlineData("{ \"exclusions\": [ { \"kind\": \"regex\", \"value\": \".*\", \"reason\": \"r\" } ] }", "unknown kind")]
    [InlineData("{ }", "no \"exclusions\"")]
    [InlineData("[", "not a valid URL exclusion file")]
    public void Bad_exclusion_files_are_typed_errors(string json, string problem)
    {
        var act = () => UrlExclusions.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "x.json");
        act.Should().Throw<MstgInputException>().Where(e => e.Source == "x.json" && e.Message.Contains(problem));
    }
}
