namespace Mstg.Cli.Tests;

/// <summary>
/// Wrong words for <c>mstg proxy</c> exit 2 with a reason before any proxy starts (moved from Mstg.Proxy.Tests, whose
/// own argument reader is gone: System.CommandLine in <c>mstg</c> is the only parser).
/// </summary>
public sealed class ProxyCommandLineTests
{
    [Theory]
    [InlineData("--condition", "very-broken")]
    [InlineData("--listen", "nowhere")]
    [InlineData("--bogus", "1")]
    [InlineData("--listen", "0.0.0.0:0")]
    [InlineData("--host-map", "no-equals-sign")]
    public async Task Bad_proxy_arguments_exit_2_with_a_reason(string option, string value)
    {
        var (exit, _, err) = await CliRunner.Run("proxy", option, value);
        exit.Should().Be(2, err);
        err.Should().StartWith("mstg", "the reason is printed").And.Contain(option.TrimStart('-'), "it names what was wrong");
    }

    /// <summary>
    /// A switch given a value must never end up on by accident: System.CommandLine takes <c>=true</c>/<c>=false</c>
    /// literally and refuses anything else (moved from Mstg.Proxy.Tests' CliFlagTests, which checked the old reader's
    /// refusal). <c>--allow-remote</c> shows which way it went before any proxy starts: off, a non-loopback listener is
    /// refused as such; on, it is refused for want of credentials.
    /// </summary>
    [Theory]
    [InlineData("--allow-remote=no", "Unrecognized command or argument 'no'")]
    [InlineData("--allow-remote=false", "is not loopback")]
    [InlineData("--allow-remote", "non-empty user and password")]
    public async Task A_switch_given_a_value_is_refused_or_taken_literally(string flag, string reason)
    {
        var (exit, _, err) = await CliRunner.Run("proxy", "--listen", "0.0.0.0:0", flag);
        exit.Should().Be(2, err);
        err.Should().Contain(reason);
    }
}
