using Mstg.Proxy.Cli;

namespace Mstg.Proxy.Tests;

public class CliFlagTests
{
    [Theory]
    [InlineData("--no-redact=false")]
    [InlineData("--allow-remote=no")]
    public async Task A_flag_given_a_value_is_refused_instead_of_switched_on(string flag)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await ProxyCommand.RunAsync([flag], stdout, stderr, TestContext.Current.CancellationToken);
        exit.Should().Be(2);
        stderr.ToString().Should().Contain(flag.Split('=')[0]).And.Contain("takes no value");
    }
}
