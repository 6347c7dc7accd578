using Mstg.Proxy.Cli;

namespace Mstg.Proxy.Tests;

/// <summary>
/// <c>mstg proxy</c> hands the relaxed-OpenSSL child <see cref="ProxyCommandOptions.ToArguments"/>: the child must read
/// back exactly the request, and the proxy password must not be on its command line (visible to every local user in ps).
/// </summary>
public class ProxyCommandOptionsTests
{
    [Fact]
    public void Arguments_for_the_child_round_trip_through_the_standalone_reader_without_the_password()
    {
        var options = new ProxyCommandOptions
        {
            Listen = "127.0.0.1:0", Condition = "tls10-only", Scope = ["*.example.com", "api.example.net"],
            HostMap = ["api.example.com=127.0.0.1:8443"], Events = "/tmp/e.jsonl", Har = "/tmp/f.har", Auth = "tester:s3cret-pass",
            CaCert = "/tmp/ca.pem", CaKey = "/tmp/ca.key", WriteCaKey = "/tmp/out.key", Control = "stdio", UpstreamCa = "/tmp/roots.pem",
            AllowRemote = true, NoRedact = true, LegacyTls = true, Transparent = true, Quiet = true,
        };
        var args = options.ToArguments();
        string.Join(' ', args).Should().NotContain("s3cret-pass").And.NotContain("--auth");

        var read = ProxyCommandOptions.From(new CliArguments([.. args], ProxyCommand.ValueOptions, ProxyCommand.FlagOptions));
        read.Should().BeEquivalentTo(options with { Auth = null });
    }

    [Theory]
    [InlineData("--listen", "nowhere")]
    [InlineData("--host-map", "no-equals-sign")]
    [InlineData("--auth", "user-without-password")]
    public void Bad_values_are_refused_naming_the_option(string option, string value)
    {
        var options = option switch
        {
            "--listen" => new ProxyCommandOptions { Listen = value },
            "--host-map" => new ProxyCommandOptions { HostMap = [value] },
            _ => new ProxyCommandOptions { Auth = value },
        };
        var act = () => options.ToProxyOptions();
        act.Should().Throw<MstgInputException>().Which.Place.Should().Be(option);
    }
}
