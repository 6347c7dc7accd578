using System.Net;
using System.Net.Sockets;
using System.Text;
using Mstg.Proxy.Cli;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>Proxy-Authorization: the scheme is case-insensitive (RFC 9110 §11.1), the password is not, and never empty.</summary>
public sealed class ProxyAuthTests
{
    private static async Task<string> StatusLineAsync(PipelineEnv env, string? authorization)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(env.Server.Endpoint);
        var s = tcp.GetStream();
        var head = "GET http://mstg.proxy/ca.pem HTTP/1.1\r\nHost: mstg.proxy\r\nConnection: close\r\n" +
                   (authorization is null ? "" : $"Proxy-Authorization: {authorization}\r\n") + "\r\n";
        await s.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(s, Encoding.Latin1);
        return await reader.ReadLineAsync() ?? "";
    }

    private static string Token(string userPass) => Convert.ToBase64String(Encoding.UTF8.GetBytes(userPass));

    [Theory]
    [InlineData("Basic")]
    [InlineData("basic")]
    [InlineData("BASIC")]
    [InlineData("bAsIc")]
    public async Task Any_case_of_the_basic_scheme_is_accepted_with_the_right_password(string scheme)
    {
        await using var env = PipelineEnv.Start(o => o with { ProxyCredentials = new NetworkCredential("tester", "pw") });
        (await StatusLineAsync(env, $"{scheme} {Token("tester:pw")}")).Should().StartWith("HTTP/1.1 200");
    }

    [Theory]
    [InlineData("basic", "tester:nope")]
    [InlineData("BASIC", "tester:PW")]
    [InlineData("Basic", "tester:")]
    [InlineData("Bearer", "tester:pw")]
    public async Task A_wrong_password_or_scheme_still_gets_407(string scheme, string userPass)
    {
        await using var env = PipelineEnv.Start(o => o with { ProxyCredentials = new NetworkCredential("tester", "pw") });
        (await StatusLineAsync(env, $"{scheme} {Token(userPass)}")).Should().StartWith("HTTP/1.1 407");
        (await StatusLineAsync(env, null)).Should().StartWith("HTTP/1.1 407");
    }

    [Theory]
    [InlineData("tester:")]
    [InlineData(":pw")]
    [InlineData("no-colon")]
    public async Task Allow_remote_with_an_empty_password_or_user_is_refused_at_startup(string auth)
    {
        var stderr = new StringWriter();
        var exit = await ProxyCommand.RunAsync(new ProxyCommandOptions { Listen = "0.0.0.0:0", AllowRemote = true, Auth = auth }, new StringWriter(), stderr,
            TestContext.Current.CancellationToken);
        exit.Should().Be(2, stderr.ToString());
        stderr.ToString().Should().Contain("--auth");
    }

    [Fact]
    public async Task Allow_remote_without_credentials_is_refused_at_startup()
    {
        var stderr = new StringWriter();
        var exit = await ProxyCommand.RunAsync(new ProxyCommandOptions { Listen = "0.0.0.0:0", AllowRemote = true }, new StringWriter(), stderr, TestContext.Current.CancellationToken);
        exit.Should().Be(2, stderr.ToString());
        stderr.ToString().Should().Contain("non-empty user and password");
    }

    [Fact]
    public void Proxy_server_options_with_an_empty_password_are_refused()
    {
        var create = () => new Mstg.Proxy.Pipeline.ProxyServer(new()
        {
            Listen = new IPEndPoint(IPAddress.Any, 0), AllowNonLoopback = true, ProxyCredentials = new NetworkCredential("tester", ""),
        });
        create.Should().Throw<MstgInputException>().WithMessage("*non-empty user and password*");
    }
}
