using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mstg.Fixtures.Processes;

namespace Mstg.Cli.Tests;

/// <summary>
/// The real <c>mstg</c> process: `mstg proxy --condition weak-key` runs the proxy in a relaxed-OpenSSL child. Stopping
/// mstg with SIGTERM or SIGINT must stop the child cleanly too: HAR written with the flow made, exit 0 (not 137).
/// </summary>
public sealed class ProxyStopTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120); // a hung proxy fails instead of stalling
    private readonly string _dir = Directory.CreateTempSubdirectory("mstg-cli-stop-").FullName;

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Signalled_mstg_proxy_with_a_child_condition_writes_the_har_and_exits_0(string signal)
    {
        using var guard = new CancellationTokenSource(Bound);
        var origin = new TcpListener(IPAddress.Loopback, 0);
        origin.Start();
        var serve = ServePlainOnceAsync(origin, guard.Token);
        var har = Path.Combine(_dir, "flows.har");

        var mstg = typeof(Program).Assembly.Location;
        using var proxy = ExternalProcess.Start("dotnet",
            [
                "exec", "--runtimeconfig", Path.ChangeExtension(mstg, ".runtimeconfig.json"), "--depsfile", Path.ChangeExtension(mstg, ".deps.json"),
                mstg, "proxy", "--listen", "127.0.0.1:0", "--condition", "weak-key",
                "--host-map", $"plain.example.com=127.0.0.1:{((IPEndPoint)origin.LocalEndpoint).Port}", "--har", har,
            ],
            new ProcessOptions { Environment = new Dictionary<string, string?> { ["OPENSSL_CONF"] = null } });
        var listening = await proxy.WaitForLineAsync(new Regex(@"listening on (127\.0\.0\.1:\d+), condition weak-key"), Bound, guard.Token);
        var endpoint = listening.Groups[1].Value;

        var curl = await ExternalProcess.RunAsync("curl", ["-sS", "--max-time", "20", "--proxy", $"http://{endpoint}", "http://plain.example.com/stop-me"],
            cancellationToken: guard.Token);
        curl.ExitCode.Should().Be(0, curl.Describe());
        curl.StandardOutput.Should().Be("origin ok");
        await serve;

        var kill = await ExternalProcess.RunAsync("kill", ["-s", signal, proxy.Id.ToString(CultureInfo.InvariantCulture)], cancellationToken: guard.Token);
        kill.ExitCode.Should().Be(0, kill.Describe());
        var stopped = await proxy.WaitForExitAsync(Bound, guard.Token);
        stopped.ExitCode.Should().Be(0, $"stopped like Ctrl-C, not killed\n{stopped.Describe()}");
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(har, guard.Token));
        doc.RootElement.GetProperty("log").GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("request").GetProperty("url").GetString())
            .Should().Contain("http://plain.example.com/stop-me");
        origin.Stop();
    }

    /// <summary>A plain-HTTP origin for one request: cleartext flows go to the HAR like decrypted ones.</summary>
    private static async Task ServePlainOnceAsync(TcpListener listener, CancellationToken ct)
    {
        using var socket = await listener.AcceptSocketAsync(ct);
        await using var stream = new NetworkStream(socket);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, ct) == 1) head.Append((char)one[0]);
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\norigin ok"u8.ToArray(), ct);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
