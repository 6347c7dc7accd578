namespace Mstg.ServerTls.Tests;

/// <summary>How <c>mstg tls</c> reads its targets, and the clear error for what it cannot read.</summary>
public sealed class EndpointParseTests
{
    [Theory]
    [InlineData("api.example.com", "api.example.com", 443)]
    [InlineData("api.example.com:8443", "api.example.com", 8443)]
    [InlineData("https://api.example.com/path?q=1", "api.example.com", 443)]
    [InlineData("https://api.example.com:9443/", "api.example.com", 9443)]
    [InlineData("[::1]:8443", "::1", 8443)]
    [InlineData("::1", "::1", 443)]
    [InlineData("127.0.0.1:1", "127.0.0.1", 1)]
    public void Parses_hosts_ports_and_urls(string text, string host, int port)
    {
        var e = Endpoint.Parse(text);
        (e.Host, e.Port).Should().Be((host, port));
    }

    [Theory]
    [InlineData("http://api.example.com", "only https")]
    [InlineData("api.example.com:0", "port '0'")]
    [InlineData("api.example.com:65536", "port '65536'")]
    [InlineData("api.example.com:https", "port 'https'")]
    [InlineData("[::1", "unterminated")]
    [InlineData(":443", "no host")]
    public void Rejects_what_it_cannot_probe_naming_the_input(string text, string why)
    {
        var act = () => Endpoint.Parse(text);
        act.Should().Throw<FormatException>().WithMessage($"*'{text}'*").WithMessage($"*{why}*");
    }

    [Fact]
    public void Sni_overrides_the_name_checked_but_not_the_address()
    {
        var e = Endpoint.Parse("127.0.0.1:8443", "api.example.com");
        e.Name.Should().Be("api.example.com");
        e.ToString().Should().Be("127.0.0.1:8443");
    }
}
