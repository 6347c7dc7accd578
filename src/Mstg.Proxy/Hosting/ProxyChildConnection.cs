using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy.Hosting;

/// <summary>
/// The parent's end of an out-of-process proxy: starts <see cref="ProxyChild"/> with one options document in a
/// private folder, mirrors every event line into the parent's <see cref="ProxyEventLog"/>, sends commands one at a
/// time and waits for their replies, keeps only the tail of the child's stderr, and deletes its folder when done.
/// </summary>
internal sealed class ProxyChildConnection : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);
    /// <summary>The child drains open connections for up to 10 s, then writes its HAR and event log.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly string _dir;
    private readonly ProxyEventLog _events;
    private readonly SemaphoreSlim _commands = new(1, 1);
    private readonly TaskCompletionSource<JsonElement> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<JsonElement>? _reply;
    private Task _pump = Task.CompletedTask;
    private int _harFiles;
    private int _disposed;

    private ProxyChildConnection(Process process, string dir, ProxyEventLog events)
    {
        _process = process;
        _dir = dir;
        _events = events;
    }

    public IPEndPoint Endpoint { get; private set; } = null!;
    public X509Certificate2 CaCertificate { get; private set; } = null!;
    public TextTail StandardError { get; } = new();
    /// <summary>The private folder (options document, OpenSSL configuration, HAR snapshots); gone after dispose.</summary>
    public string Directory => _dir;

    public static async Task<ProxyChildConnection> StartAsync(ProxyOptions options, ProxyEventLog events, IReadOnlyList<string>? commandPrefix, CancellationToken ct)
    {
        var dir = ProxyChildProcess.CreatePrivateDirectory();
        Process? process = null;
        try
        {
            var optionsPath = Path.Combine(dir, "options.json");
            ProxyOptionsJson.Write(options, optionsPath);
            var start = ProxyChildProcess.CreateStartInfo([ProxyChildProcess.HostVerb, optionsPath], dir, commandPrefix);
            process = Process.Start(start) ?? throw new InvalidOperationException("proxy process did not start");
            var child = new ProxyChildConnection(process, dir, events);
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child.StandardError.AppendLine(e.Data); };
            process.BeginErrorReadLine();
            child._pump = Task.Run(child.PumpAsync, CancellationToken.None);
            await child.WaitReadyAsync(ProxyOptionsJson.Digest(options), ct).ConfigureAwait(false);
            return child;
        }
        catch
        {
            if (process is not null)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // already gone
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(StopTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                process.Dispose();
            }
            DeleteFolder(dir);
            throw;
        }
    }

    private async Task WaitReadyAsync(string expectedDigest, CancellationToken ct)
    {
        JsonElement ready;
        try { ready = await _ready.Task.WaitAsync(ReadyTimeout, ct).ConfigureAwait(false); }
        catch (TimeoutException)
        {
            throw new TimeoutException($"proxy process did not report ready within {ReadyTimeout.TotalSeconds:0} s: {StandardError}");
        }
        // The child re-serializes what it read: a different digest means an option was lost or changed on the way.
        var digest = ready.TryGetProperty("optionsDigest", out var d) ? d.GetString() : null;
        if (digest != expectedDigest)
            throw new InvalidOperationException($"proxy process read different options than were written (digest {digest} ≠ {expectedDigest})");
        Endpoint = IPEndPoint.Parse(ready.GetProperty("listen").GetString()!);
        CaCertificate = X509Certificate2.CreateFromPem(ready.GetProperty("caPem").GetString()!);
    }

    private async Task PumpAsync()
    {
        string? line;
        while ((line = await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false)) is not null)
        {
            JsonElement json;
            try { json = JsonDocument.Parse(line).RootElement; }
            catch (JsonException) { StandardError.AppendLine("stdout: " + line); continue; }
            var type = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case ControlChannel.Ready:
                    _ready.TrySetResult(json);
                    break;
                case ControlChannel.StartError:
                    _ready.TrySetException(new MstgInputException(Text(json, "source"), Text(json, "place"), Text(json, "problem")));
                    break;
                case ControlChannel.HarWritten or ControlChannel.ControlError:
                    Volatile.Read(ref _reply)?.TrySetResult(json);
                    break;
                case null:
                    break;
                default:
                    // Every event type, not only the ones known today: the parent's log is the child's log.
                    var evt = json.Deserialize<ProxyEvent>(ProxyEventLog.Json)!;
                    _events.Append(evt);
                    if (type == EventTypes.Condition) Volatile.Read(ref _reply)?.TrySetResult(json);
                    break;
            }
        }
        var gone = new InvalidOperationException("proxy process exited: " + StandardError);
        _ready.TrySetException(gone);
        Volatile.Read(ref _reply)?.TrySetException(gone);
    }

    private static string Text(JsonElement json, string name) => json.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";

    /// <summary>Sends one command and waits for its reply line (the condition event, har-written, or control-error).</summary>
    private async Task<JsonElement> CommandAsync(string command, CancellationToken ct)
    {
        await _commands.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _reply, reply);
            if (_pump.IsCompleted) throw new InvalidOperationException("proxy process exited: " + StandardError);
            await _process.StandardInput.WriteLineAsync(command.AsMemory(), ct).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(ct).ConfigureAwait(false);
            JsonElement json;
            try { json = await reply.Task.WaitAsync(ReplyTimeout, ct).ConfigureAwait(false); }
            catch (TimeoutException) { throw new TimeoutException($"proxy process did not answer '{command}' within {ReplyTimeout.TotalSeconds:0} s: {StandardError}"); }
            if (Text(json, "type") == ControlChannel.ControlError)
                throw new InvalidOperationException($"proxy process refused '{command}': {Text(json, "detail")}");
            return json;
        }
        finally
        {
            Volatile.Write(ref _reply, null);
            _commands.Release();
        }
    }

    public async Task<ProxyEvent> SetConditionAsync(CertificateCondition condition, CancellationToken ct) =>
        (await CommandAsync($"condition {condition.ToName()}", ct).ConfigureAwait(false)).Deserialize<ProxyEvent>(ProxyEventLog.Json)!;

    /// <summary>The child's HAR so far, through a snapshot file in the private folder (deleted once read).</summary>
    public async Task<JsonObject> ReadHarAsync(CancellationToken ct)
    {
        var path = Path.Combine(_dir, $"har-{Interlocked.Increment(ref _harFiles)}.json");
        try
        {
            await CommandAsync($"har {path}", ct).ConfigureAwait(false);
            await using var file = File.OpenRead(path);
            return (JsonNode.Parse(file) as JsonObject) ?? throw new InvalidOperationException("proxy process wrote a HAR that is not a JSON object");
        }
        finally { File.Delete(path); }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            try
            {
                await _process.StandardInput.WriteLineAsync("quit").ConfigureAwait(false);
                _process.StandardInput.Close();
                await _process.WaitForExitAsync().WaitAsync(StopTimeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or IOException or ObjectDisposedException)
            {
                try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await _process.WaitForExitAsync().WaitAsync(StopTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _process.Dispose();
            _commands.Dispose();
        }
        finally
        {
            DeleteFolder(_dir);
        }
    }

    private static void DeleteFolder(string dir)
    {
        try { System.IO.Directory.Delete(dir, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
