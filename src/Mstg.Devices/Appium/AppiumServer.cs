using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Mstg.Devices.Appium;

/// <summary>
/// A real Appium 3 server, from the npm packages pinned in the repository's package.json (appium plus its drivers, found
/// because they are dependencies of that package.json), started on a free loopback port and stopped with the run. Or an
/// existing server given by URL (a Mac with simulators, a farm's local relay), which is only checked, never stopped.
/// </summary>
public sealed class AppiumServer : IAsyncDisposable
{
    private const int KeptLogLines = 200;
    private readonly Process? _process;
    private readonly Queue<string> _log = new();

    private AppiumServer(Uri url, Process? process)
    {
        Url = url;
        _process = process;
    }

    public Uri Url { get; }

    /// <summary>The last lines the server printed (bounded), for error messages and evidence.</summary>
    public string RecentLog { get { lock (_log) return string.Join('\n', _log); } }

    /// <summary>
    /// The lines printed until the server was ready (bounded): which drivers it loaded, at which versions. Kept apart
    /// from <see cref="RecentLog"/>, which busy sessions roll over within seconds.
    /// </summary>
    public string StartupLog { get { lock (_log) return string.Join('\n', _startup); } }
    private readonly List<string> _startup = [];
    private bool _ready;

    /// <summary>Starts <c>node node_modules/appium/index.js server</c> from <paramref name="packageRoot"/> (the folder holding package.json).</summary>
    public static async Task<AppiumServer> StartAsync(string packageRoot, TimeSpan? readyTimeout = null, CancellationToken ct = default)
    {
        var entry = Path.Combine(packageRoot, "node_modules", "appium", "index.js");
        if (!File.Exists(entry))
            throw new DeviceEnvironmentException("Appium", $"{entry} is missing; run `npm ci` in {packageRoot}");
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = packageRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { entry, "server", "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--log-no-colors" })
            start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start) ?? throw new InvalidOperationException("no process"); }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new DeviceEnvironmentException("Appium", "Node.js (`node`) could not be started: " + e.Message, inner: e);
        }
        var server = new AppiumServer(new Uri($"http://127.0.0.1:{port}/"), process);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(90), ct).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return server;
    }

    /// <summary>An Appium server someone else runs; it must answer /status with ready = true.</summary>
    public static async Task<AppiumServer> ConnectAsync(Uri url, TimeSpan? readyTimeout = null, CancellationToken ct = default)
    {
        var server = new AppiumServer(url, null);
        await server.WaitUntilReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        return server;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        string? last = null;
        while (deadline.Elapsed < timeout)
        {
            if (_process is { HasExited: true })
                throw new DeviceEnvironmentException("Appium", $"the server exited with code {_process.ExitCode} before it was ready:\n{RecentLog}");
            try
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(Url, "status"), ct).ConfigureAwait(false));
                if (doc.RootElement.TryGetProperty("value", out var value) && value.TryGetProperty("ready", out var ready) && ready.GetBoolean())
                {
                    lock (_log) _ready = true;
                    return;
                }
                last = "status answered, not ready";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
            {
                if (ct.IsCancellationRequested) throw;
                last = e.Message;
            }
            await Task.Delay(200, ct).ConfigureAwait(false);
        }
        throw new DeviceEnvironmentException("Appium", $"{Url} was not ready within {timeout.TotalSeconds:0} s (last: {last})\n{RecentLog}");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Enqueue(line);
            if (!_ready && _startup.Count < KeptLogLines) _startup.Add(line);
            while (_log.Count > KeptLogLines) _log.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _process.Dispose();
    }
}
