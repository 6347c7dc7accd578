using System.Text.RegularExpressions;
using Mstg.Proxy.Cli;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>`mstg proxy` shows one line per connection and its outcome while it runs, unless --quiet.</summary>
public sealed class ConsoleLinesTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_connection_gets_a_line_with_its_outcome_unless_quiet(bool quiet)
    {
        using var cts = new CancellationTokenSource();
        var stdout = new LockedWriter();
        var options = new ProxyCommandOptions { Listen = "127.0.0.1:0", Condition = "untrusted-ca", Scope = ["*.example.com"], Quiet = quiet };
        var run = ProxyCommand.RunAsync(options, stdout, new StringWriter(), cts.Token);
        string? endpoint = null;
        for (var i = 0; i < 100 && endpoint is null; i++)
        {
            endpoint = Regex.Match(stdout.ToString(), @"listening on (127\.0\.0\.1:\d+)") is { Success: true } m ? m.Groups[1].Value : null;
            if (endpoint is null) await Task.Delay(100);
        }
        endpoint.Should().NotBeNull(stdout.ToString());

        // curl with the system trust store refuses the untrusted CA's leaf during the handshake (exit 60).
        var curl = await ExternalTool.RunAsync("curl", ["-sS", "--proxy", $"http://{endpoint}", "https://api.example.com/"]);
        curl.ExitCode.Should().Be(60, curl.ToString());

        // The connection event is appended when the connection ends, just after curl exits.
        var pattern = new Regex(@"127\.0\.0\.1:\d+ → api\.example\.com:443 \[untrusted-ca\] refused \(alert 48 unknown_ca\)");
        for (var i = 0; i < 50 && !quiet && !pattern.IsMatch(stdout.ToString()); i++) await Task.Delay(100);
        cts.Cancel();
        (await run).Should().Be(0);
        if (quiet) stdout.ToString().Should().NotContain("→");
        else stdout.ToString().Should().MatchRegex(pattern.ToString());
    }

    [Fact]
    public void Client_supplied_text_cannot_write_control_characters_to_the_terminal()
    {
        var line = ConnectionLinePrinter.Format(new ProxyEvent
        {
            Id = 1, Time = DateTimeOffset.UnixEpoch, Type = "flow", Method = "GET", Status = 200,
            Url = "http://a.example.com/\u001b[2J\rPASS all\n\u202Eevil",
        })!;
        line.Should().NotContainAny("\u001b", "\r", "\n", "\u202E");
        line.Should().Contain("\\u001b[2J\\u000dPASS all\\u000a\\u202eevil");
    }

    private sealed class LockedWriter : StringWriter
    {
        public override void Write(char value) { lock (this) base.Write(value); }
        public override void Write(string? value) { lock (this) base.Write(value); }
        public override void WriteLine(string? value) { lock (this) base.WriteLine(value); }
        public override string ToString() { lock (this) return base.ToString(); }
    }
}
