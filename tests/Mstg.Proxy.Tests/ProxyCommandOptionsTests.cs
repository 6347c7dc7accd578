using Mstg.Proxy.Cli;

namespace Mstg.Proxy.Tests;

/// <summary><see cref="ProxyCommandOptions.ToProxyOptions"/> checks every value the command line gave.</summary>
public class ProxyCommandOptionsTests
{
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
