using System.Text;
using Mstg.Analysis.Binary.Urls;
using Mstg.Analysis.Hosts;

namespace Mstg.Analysis.Tests.Hosts;

/// <summary>"Is this host under that domain" has one answer, used by TrustKit coverage, first-party domains and URL exclusions.</summary>
public class HostNamesTests
{
    [Theory]
    [InlineData("example.com", "example.com", true)]
    [InlineData("API.Example.COM", "example.com", true)]
    [InlineData("api.example.com", "example.com", true)]
    [InlineData("a.b.example.com", "example.com", true)]
    [InlineData("badexample.com", "example.com", false)]
    [InlineData("example.com.evil.net", "example.com", false)]
    [InlineData("example.com", "api.example.com", false)]
    [InlineData("com", "example.com", false)]
    public void Under_a_domain_means_the_domain_or_a_name_below_it_on_a_label_boundary(string host, string domain, bool expected) =>
        HostNames.IsSameOrUnder(host, domain).Should().Be(expected);

    [Fact]
    public void Without_subdomains_only_the_domain_itself_matches()
    {
        HostNames.IsSameOrUnder("example.com", "example.com", includesSubdomains: false).Should().BeTrue();
        HostNames.IsSameOrUnder("api.example.com", "example.com", includesSubdomains: false).Should().BeFalse();
    }

    [Fact]
    public void A_url_exclusion_by_host_suffix_covers_the_domain_and_its_subdomains_but_not_a_longer_name()
    {
        var exclusions = UrlExclusions.Load(new MemoryStream(Encoding.UTF8.GetBytes(
            """{ "exclusions": [ { "kind": "hostSuffix", "value": "example.com", "reason": "test" } ] }""")), "test.json");
        UrlCandidate Url(string text) => UrlExtractor.Extract(text).Single();

        exclusions.Match(Url("http://example.com/ns")).Should().NotBeNull();
        exclusions.Match(Url("http://schemas.example.com/ns")).Should().NotBeNull();
        exclusions.Match(Url("http://badexample.com/login")).Should().BeNull("a suffix is matched on a label boundary");
    }
}
