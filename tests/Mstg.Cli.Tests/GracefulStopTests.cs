using System.Text.Json;
using System.Text.RegularExpressions;
using Mstg.Fixtures.Processes;
using Mstg.Fixtures.Proxy;

namespace Mstg.Cli.Tests;

/// <summary>
/// Stopping <c>mstg proxy</c> with SIGTERM or SIGINT must end as cleanly for the four conditions served by the
/// relaxed-OpenSSL child as for in-process ones: HAR written with the flows made, exit code 0. Each case starts the
/// real <c>mstg</c> executable (not relaxed itself, so it starts the child with its options file), makes a real
/// request through a TLS origin, then signals it.
/// </summary>
public sealed class GracefulStopTests : IAsyncDisposable
{
    private readonly TestOrigin _origin = new("api.example.com");
    private readonly string _dir = Directory.CreateTempSubdirectory("mstg-stop-").FullName;

    [Theory]
    [InlineData("weak-key", "TERM")]
    [InlineData("sha1-signature", "TERM")]
    [InlineData("tls10-only", "TERM")]
    [InlineData("tls11-only", "TERM")]
    [InlineData("weak-key", "INT")]
    [InlineData("tls11-only", "INT")]
    [InlineData("trusted-ca", "TERM")] // in-process: the reference the child conditions must match
    [InlineData("trusted-ca", "INT")]
    public async Task Signal_stops_the_proxy_cleanly_with_the_har_written(string condition, string signal)
    {
        var har = Path.Combine(_dir, $"{condition}-{signal}.har");
        var originCa = _origin.WriteCaPem(_dir);
        using var proxy = StartProxy(condition, har, originCa);
        var listening = await proxy.WaitForLineAsync(new Regex(@"listening on (127\.0\.0\.1:\d+)"), TimeSpan.FromSeconds(60),
            TestContext.Current.CancellationToken);
        var endpoint = listening.Groups[1].Value;

        var request = await RequestAsync(condition, endpoint);
        request.Stdout.Should().Contain("origin saw GET /stop-test", request.ToString());

        var kill = await ExternalTool.RunAsync("kill", ["-s", signal, proxy.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.ExitCode.Should().Be(0, kill.ToString());
        var stopped = await proxy.WaitForExitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);

        stopped.ExitCode.Should().Be(0, $"a signalled proxy exits like Ctrl-C, not killed (137)\n{stopped.Describe()}");
        File.Exists(har).Should().BeTrue(stopped.Describe());
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(har, TestContext.Current.CancellationToken));
        var urls = doc.RootElement.GetProperty("log").GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("request").GetProperty("url").GetString()).ToList();
        urls.Should().Contain("https://api.example.com/stop-test");
    }

    private BackgroundProcess StartProxy(string condition, string har, string originCa)
    {
        var mstg = typeof(Program).Assembly.Location;
        return ExternalProcess.Start("dotnet",
            [
                "exec", "--runtimeconfig", Path.ChangeExtension(mstg, ".runtimeconfig.json"), "--depsfile", Path.ChangeExtension(mstg, ".deps.json"),
                mstg, "proxy", "--listen", "127.0.0.1:0", "--condition", condition, "--scope", "*.example.com",
                "--host-map", $"api.example.com=127.0.0.1:{_origin.Port}", "--upstream-ca", originCa, "--har", har,
            ],
            // The proxy started here must be an ordinary (unrelaxed) process, so legacy conditions go through the child.
            new ProcessOptions { Environment = new Dictionary<string, string?> { ["OPENSSL_CONF"] = null } });
    }

    /// <summary>A client the condition lets through: curl -k, or s_client allowed TLS 1.0/1.1 at SECLEVEL 0.</summary>
    private static Task<ToolResult> RequestAsync(string condition, string endpoint)
    {
        if (condition is "tls10-only" or "tls11-only")
        {
            return ExternalTool.RunAsync("openssl",
                ["s_client", condition == "tls10-only" ? "-tls1" : "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-proxy", endpoint,
                 "-connect", "api.example.com:443", "-servername", "api.example.com", "-ign_eof", "-quiet"],
                stdin: "GET /stop-test HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n");
        }
        return ExternalTool.RunAsync("curl", ["-sS", "-k", "--max-time", "20", "--proxy", $"http://{endpoint}", "https://api.example.com/stop-test"]);
    }

    public async ValueTask DisposeAsync()
    {
        await _origin.DisposeAsync();
        Directory.Delete(_dir, true);
    }
}
