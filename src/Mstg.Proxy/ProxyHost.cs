using Mstg.Tls;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Cli;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy;

/// <summary>
/// What a test fixture starts and stops. In-process for everything Debian's default OpenSSL allows; with
/// <c>legacyTls</c> it runs the same proxy as a child process started with a relaxed OPENSSL_CONF (TLS 1.0/1.1,
/// RSA-1024, SHA-1) and mirrors its events here, so the API is the same either way.
/// </summary>
public sealed class ProxyHost : IAsyncDisposable
{
    private readonly ProxyServer? _server;
    private readonly Process? _process;
    private readonly Task? _stdoutPump;
    private readonly string? _tempDir;

    private ProxyHost(ProxyServer server)
    {
        _server = server;
        Events = server.Events;
        Endpoint = server.Endpoint;
        CaCertificate = X509CertificateLoader.LoadCertificate(server.Ca.ExportCertificateDer());
        Condition = server.Condition;
    }

    private ProxyHost(Process process, ProxyEventLog events, IPEndPoint endpoint, X509Certificate2 ca, CertificateCondition condition, Task pump, string tempDir)
    {
        _process = process;
        Events = events;
        Endpoint = endpoint;
        CaCertificate = ca;
        Condition = condition;
        _stdoutPump = pump;
        _tempDir = tempDir;
    }

    public IPEndPoint Endpoint { get; }
    /// <summary>The run CA's public certificate (install it on the device for trusted-ca).</summary>
    public X509Certificate2 CaCertificate { get; }
    public ProxyEventLog Events { get; }
    public CertificateCondition Condition { get; private set; }
    public bool IsOutOfProcess => _process is not null;
    /// <summary>Decrypted flows; only for an in-process proxy (an out-of-process one writes ProxyOptions.HarPath on stop).</summary>
    public HarRecorder? Har => _server?.Har;

    /// <param name="commandPrefix">Forces a child process started under this command (e.g. <c>ip netns exec NS</c> for transparent mode in a namespace).</param>
    public static async Task<ProxyHost> StartAsync(ProxyOptions options, bool legacyTls = false, CancellationToken ct = default,
        IReadOnlyList<string>? commandPrefix = null)
    {
        legacyTls |= options.Condition.NeedsLegacyOpenSsl();
        if (commandPrefix is { Count: > 0 }) return await StartOutOfProcessAsync(options, ct, commandPrefix).ConfigureAwait(false);
        if (!legacyTls || LegacyOpenSsl.IsActive)
        {
            var server = new ProxyServer(options);
            server.Start();
            return new ProxyHost(server);
        }
        return await StartOutOfProcessAsync(options, ct).ConfigureAwait(false);
    }

    /// <summary>Takes effect for new connections; open in-scope connections are closed. Returns once the proxy applied it.</summary>
    public async Task SetConditionAsync(CertificateCondition condition, CancellationToken ct = default)
    {
        if (_server is not null)
        {
            _server.SetCondition(condition);
        }
        else
        {
            var seen = Events.Snapshot().Count(e => e.Type == "condition");
            await _process!.StandardInput.WriteLineAsync($"condition {condition.ToName()}".AsMemory(), ct).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(ct).ConfigureAwait(false);
            await Events.WaitForAsync(_ => Events.Snapshot().Count(e => e.Type == "condition") > seen, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        Condition = condition;
    }

    private static async Task<ProxyHost> StartOutOfProcessAsync(ProxyOptions options, CancellationToken ct, IReadOnlyList<string>? commandPrefix = null)
    {
        var tempDir = Directory.CreateTempSubdirectory("mstg-proxy-").FullName;
        var args = new List<string>
        {
            "--listen", options.Listen.ToString(), "--condition", options.Condition.ToName(), "--control", "stdio", "--legacy-tls",
        };
        foreach (var s in options.Scope) { args.Add("--scope"); args.Add(s); }
        foreach (var (host, target) in options.HostMap) { args.Add("--host-map"); args.Add($"{host}={target}"); }
        if (options.UpstreamTrustedRoots is { Count: > 0 } roots)
        {
            var rootsPath = Path.Combine(tempDir, "upstream-roots.pem");
            await File.WriteAllTextAsync(rootsPath, string.Concat(roots.Select(r => r.ExportCertificatePem() + "\n")), ct).ConfigureAwait(false);
            args.Add("--upstream-ca"); args.Add(rootsPath);
        }
        if (options.EventsPath is not null) { args.Add("--events"); args.Add(options.EventsPath); }
        if (options.HarPath is not null) { args.Add("--har"); args.Add(options.HarPath); }
        if (!options.Redact) args.Add("--no-redact");
        if (options.AllowNonLoopback) args.Add("--allow-remote");
        if (options.Transparent) args.Add("--transparent");
        if (options.CaCertificatePath is not null) { args.Add("--ca-cert"); args.Add(options.CaCertificatePath); }
        if (options.CaKeyPath is not null) { args.Add("--ca-key"); args.Add(options.CaKeyPath); }
        var start = ProxyProcess.CreateStartInfo(args, commandPrefix);
        // The password guards a non-loopback proxy: never on the command line, which every local user can read in ps.
        if (options.ProxyCredentials is { } c) start.Environment[ProxyCommand.AuthVariable] = $"{c.UserName}:{c.Password}";

        var process = Process.Start(start) ?? throw new InvalidOperationException("proxy process did not start");
        var events = new ProxyEventLog();
        var ready = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var pump = Task.Run(async () =>
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false)) is not null)
            {
                JsonElement json;
                try { json = JsonDocument.Parse(line).RootElement; } catch (JsonException) { continue; }
                var type = json.TryGetProperty("type", out var t) ? t.GetString() : null;
                if (type == "ready") ready.TrySetResult(json);
                else if (type is "connection" or "condition") events.Append(json.Deserialize<ProxyEvent>(ProxyEventLog.Json)!);
            }
            ready.TrySetException(new InvalidOperationException("proxy process exited before it was ready: " + stderr));
        }, CancellationToken.None);
        var done = await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(30), ct)).ConfigureAwait(false);
        if (done != ready.Task)
        {
            process.Kill(true);
            throw new TimeoutException("proxy process did not report ready within 30 s: " + stderr);
        }
        var r = await ready.Task.ConfigureAwait(false);
        var endpoint = IPEndPoint.Parse(r.GetProperty("listen").GetString()!);
        var ca = X509Certificate2.CreateFromPem(r.GetProperty("caPem").GetString()!);
        return new ProxyHost(process, events, endpoint, ca, options.Condition, pump, tempDir);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
        if (_process is not null)
        {
            try
            {
                await _process.StandardInput.WriteLineAsync("quit").ConfigureAwait(false);
                _process.StandardInput.Close();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or IOException) { _process.Kill(true); }
            if (_stdoutPump is not null) await _stdoutPump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _process.Dispose();
            if (_tempDir is not null) Directory.Delete(_tempDir, recursive: true);
        }
    }
}
