using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mstg.Cli.Tests;

/// <summary>
/// The real <c>mstg</c> process: `mstg proxy --condition weak-key` runs the proxy in a relaxed-OpenSSL child. Stopping
/// mstg with SIGTERM or SIGINT must stop the child cleanly too: HAR written with the flow made, exit 0 (not 137).
/// </summary>
public sealed class ProxyStopTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mstg-cli-stop-").FullName;

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Signalled_mstg_proxy_with_a_child_condition_writes_the_har_and_exits_0(string signal)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120)); // a hung proxy fails instead of stalling
        var origin = new TcpListener(IPAddress.Loopback, 0);
        origin.Start();
        var serve = ServePlainOnceAsync(origin, guard.Token);
        var har = Path.Combine(_dir, "flows.har");

        var mstg = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "exec", "--runtimeconfig", Path.ChangeExtension(mstg, ".runtimeconfig.json"), "--depsfile", Path.ChangeExtension(mstg, ".deps.json"),
                     mstg, "proxy", "--listen", "127.0.0.1:0", "--condition", "weak-key",
                     "--host-map", $"plain.example.com=127.0.0.1:{((IPEndPoint)origin.LocalEndpoint).Port}", "--har", har,
                 })
            start.ArgumentList.Add(a);
        start.Environment.Remove("OPENSSL_CONF");
        using var proxy = Process.Start(start)!;
        var stderr = proxy.StandardError.ReadToEndAsync(guard.Token);
        string? endpoint = null;
        var output = new StringBuilder();
        while (endpoint is null && await proxy.StandardOutput.ReadLineAsync(guard.Token) is { } line)
        {
            output.AppendLine(line);
            endpoint = Regex.Match(line, @"listening on (127\.0\.0\.1:\d+), condition weak-key") is { Success: true } m ? m.Groups[1].Value : null;
        }
        endpoint.Should().NotBeNull($"{output}\n{(proxy.HasExited ? await stderr : "")}");
        var drain = proxy.StandardOutput.ReadToEndAsync(guard.Token);

        var curl = await RunAsync("curl", ["-sS", "--max-time", "20", "--proxy", $"http://{endpoint}", "http://plain.example.com/stop-me"], guard.Token);
        curl.Exit.Should().Be(0, curl.Err);
        curl.Out.Should().Be("origin ok");
        await serve;

        var kill = await RunAsync("kill", ["-s", signal, proxy.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], guard.Token);
        kill.Exit.Should().Be(0, kill.Err);
        await proxy.WaitForExitAsync(guard.Token);
        await drain;
        proxy.ExitCode.Should().Be(0, $"stopped like Ctrl-C, not killed\nstderr: {await stderr}");
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

    private static async Task<(int Exit, string Out, string Err)> RunAsync(string file, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync(ct);
        var error = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return (p.ExitCode, await output, await error);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
