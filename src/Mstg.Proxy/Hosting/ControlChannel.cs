using System.Text.Json;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Pipeline;
using Mstg.Tls;

namespace Mstg.Proxy.Hosting;

/// <summary>
/// The line protocol between a proxy child and its parent (<see cref="ProxyHost"/>, or a tester driving
/// <c>mstg proxy --control stdio</c>): the child prints one JSON object per line on stdout (<c>ready</c> first, then
/// every event of every type, and replies to commands); it reads <c>condition NAME</c>, <c>har PATH</c> and
/// <c>quit</c> from stdin (EOF = quit).
/// </summary>
public static class ControlChannel
{
    /// <summary>Line types that are not <see cref="ProxyEvent"/>s.</summary>
    public const string Ready = "ready", StartError = "start-error", HarWritten = "har-written", ControlError = "control-error";

    /// <summary>Tells the parent the proxy listens, then mirrors every event and serves commands until quit, EOF or <paramref name="ct"/>.</summary>
    public static async Task ServeAsync(ProxyServer server, string? optionsDigest, TextReader stdin, TextWriter stdout, CancellationToken ct)
    {
        var writer = new LineWriter(stdout);
        using var sub = server.Events.Subscribe(writer);
        writer.Write(new
        {
            type = Ready, listen = server.Endpoint.ToString(), caPem = server.Ca.ExportCertificatePem(),
            legacyOpenSsl = LegacyOpenSsl.IsActive, condition = server.Condition.ToName(), optionsDigest,
        });
        while (!ct.IsCancellationRequested)
        {
            string? line;
            // Console.In blocks in ReadLine whatever the token says; WaitAsync lets SIGTERM end the loop anyway.
            try { line = await stdin.ReadLineAsync(ct).AsTask().WaitAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            if (line is null || line.Trim() == "quit") return;
            var parts = line.Trim().Split(' ', 2);
            try
            {
                switch (parts)
                {
                    case ["condition", var name]: server.SetCondition(CertificateConditions.Parse(name)); break; // the condition event is the reply
                    case ["har", var path]: server.Har.Write(path); writer.Write(new { type = HarWritten, path }); break;
                    default: writer.Write(new { type = ControlError, detail = $"unknown command '{line}'" }); break;
                }
            }
            catch (Exception e) when (e is MstgInputException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                writer.Write(new { type = ControlError, detail = e.Message });
            }
        }
    }

    /// <summary>One JSON object per line, whole lines only, whichever thread writes.</summary>
    internal sealed class LineWriter(TextWriter writer) : IObserver<ProxyEvent>
    {
        private readonly object _gate = new();

        public void Write(object value)
        {
            var line = value is ProxyEvent e ? JsonSerializer.Serialize(e, ProxyEventLog.Json) : JsonSerializer.Serialize(value, ProxyEventLog.Json);
            lock (_gate)
            {
                writer.WriteLine(line);
                writer.Flush();
            }
        }

        public void OnNext(ProxyEvent value) => Write(value);
        public void OnError(Exception error) { }
        public void OnCompleted() { }
    }
}
