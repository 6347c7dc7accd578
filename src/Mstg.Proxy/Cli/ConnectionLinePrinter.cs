using System.Globalization;
using System.Text;
using Mstg.Proxy.Evidence;

namespace Mstg.Proxy.Cli;

/// <summary>
/// What `mstg proxy` prints while it runs (as mitmdump does): one line per connection with its outcome, one per relayed
/// request, one per refused request and per condition swap. Reads the same redacted events as the event log, and
/// escapes control characters, since hosts and URLs come from the clients under test.
/// </summary>
public sealed class ConnectionLinePrinter(TextWriter writer) : IObserver<ProxyEvent>
{
    private readonly object _gate = new();

    public void OnNext(ProxyEvent e)
    {
        var line = Format(e);
        if (line is null) return;
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public void OnError(Exception error) { }
    public void OnCompleted() { }

    public static string? Format(ProxyEvent e)
    {
        var time = e.Time.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return e.Type switch
        {
            "connection" => $"{time} {Safe(e.Client)} → {Safe(e.Host)}{(e.Port is { } p ? ":" + p : "")} [{Safe(e.Condition)}] {Outcome(e)}",
            "flow" => $"{time}   {Safe(e.Method)} {Safe(e.Url)} → {e.Status}",
            "rejected" => $"{time}   {e.Status ?? 400} rejected: {Safe(e.Detail)}",
            "condition" => $"{time} condition → {Safe(e.Condition)}",
            _ => null,
        };
    }

    private static string Outcome(ProxyEvent e)
    {
        var text = new StringBuilder(e.Outcome?.ToString().ToLowerInvariant() ?? "ended");
        if (e.AlertCode is { } code) text.Append($" (alert {code} {Safe(e.AlertName)})");
        else if (e.Outcome == ConnectionOutcome.Refused && e.TransportEnd is { } end)
            text.Append($" ({Safe(end)}{(e.HandshakeCompleted == true ? " after the handshake" : " during the handshake")})");
        if (e.NegotiatedProtocol is { } protocol) text.Append($", {Safe(protocol)}");
        if (e.Requests is > 0) text.Append($", {e.Requests} request{(e.Requests == 1 ? "" : "s")}");
        if (e.Outcome == ConnectionOutcome.Error && e.Detail is { } detail) text.Append($": {Safe(detail)}");
        if (e.DurationMs is { } ms) text.Append(CultureInfo.InvariantCulture, $", {ms:0.#} ms");
        return text.ToString();
    }

    /// <summary>Control and bidi-override characters as visible escapes, so a client cannot rewrite the tester's terminal.</summary>
    internal static string Safe(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "-";
        StringBuilder? escaped = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var unsafeChar = char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
            if (unsafeChar) (escaped ??= new StringBuilder(value, 0, i, value.Length + 8)).Append($"\\u{(int)c:x4}");
            else escaped?.Append(c);
        }
        return escaped?.ToString() ?? value;
    }
}
