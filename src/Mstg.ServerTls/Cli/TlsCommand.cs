using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mstg.ServerTls.Ats;
using Mstg.ServerTls.Probing;
using Mstg.Analysis.Reporting;

namespace Mstg.ServerTls.Cli;

/// <summary>What <c>mstg tls</c> was asked to do, as typed values (the CLI's parser fills it).</summary>
public sealed record TlsCommandOptions
{
    public IReadOnlyList<string> Targets { get; init; } = [];
    public string? FromApp { get; init; }
    public string? Sni { get; init; }
    public string? Trust { get; init; }
    public string Format { get; init; } = "text";
    public string? Output { get; init; }
    /// <summary>"fail" (default): only failures exit 1; "warn": warnings too.</summary>
    public string FailOn { get; init; } = "fail";
    /// <summary>Exit 1 also when an endpoint could not be probed.</summary>
    public bool Strict { get; init; }
    public double TimeoutSeconds { get; init; } = 5;
    public int Concurrency { get; init; } = 8;
}

/// <summary><c>mstg tls</c>: probes endpoints, judges them against ATS, correlates with an app, writes a report.</summary>
public static class TlsCommand
{
    public static async Task<int> RunAsync(TlsCommandOptions o, TextWriter stdout, TextWriter stderr, CancellationToken ct, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        if (ScanReports.ForFormat(o.Format) is not { } writer)
            return Usage(stderr, $"--format must be one of {string.Join(", ", ScanReports.All.Select(r => r.Format))}, not '{o.Format}'");
        var warnFails = o.FailOn.ToLowerInvariant() switch { "fail" => false, "warn" => true, _ => (bool?)null };
        if (warnFails is null) return Usage(stderr, $"--fail-on must be fail or warn, not '{o.FailOn}'");
        if (o.TimeoutSeconds is <= 0 or > 300) return Usage(stderr, "--timeout takes seconds from 0 to 300");
        if (o.Concurrency is < 1 or > 256) return Usage(stderr, "--concurrency takes a number from 1 to 256");

        X509Certificate2Collection? anchors = null;
        if (o.Trust is { } trust)
        {
            if (!File.Exists(trust)) return Usage(stderr, $"--trust: '{trust}' does not exist");
            anchors = [];
            try { anchors.ImportFromPemFile(trust); }
            catch (CryptographicException e) { return Usage(stderr, $"--trust: '{trust}' is not a PEM certificate file ({e.Message})"); }
            if (anchors.Count == 0) return Usage(stderr, $"--trust: '{trust}' holds no PEM certificate");
        }

        AppTlsContext? app = null;
        if (o.FromApp is { } path)
        {
            if (!File.Exists(path) && !Directory.Exists(path)) return Usage(stderr, $"--from-app: '{path}' does not exist");
            app = AppTlsContext.Load(path); // a malformed app is an MstgInputException: the CLI reports it as bad input
        }

        List<Endpoint> endpoints;
        try
        {
            var targets = o.Targets.Count > 0 ? o.Targets : app?.DeclaredHosts ?? [];
            endpoints = targets.Select(t => Endpoint.Parse(t, o.Sni)).Distinct().ToList();
        }
        catch (FormatException e) { return Usage(stderr, e.Message); }
        if (endpoints.Count == 0)
            return Usage(stderr, app is null ? "name at least one host[:port] or --from-app APP" : $"{app.Source} names no exception or pinned domain to probe; name hosts");

        var options = new ProbeOptions
        {
            TrustAnchors = anchors,
            Clock = clock,
            Endpoints = o.Concurrency,
            ConnectTimeout = TimeSpan.FromSeconds(o.TimeoutSeconds),
            Flight = new Tls.Raw.FlightLimits { Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds) },
        };
        var started = clock.GetUtcNow();
        var reports = await TlsScan.ProbeAllAsync(endpoints, options, ct).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var run = new TlsRun(reports.Select(r => new EndpointResult(r, AtsServerModel.Evaluate(r), ServerFindings.For(r, app, now))).ToList(), app?.Source, started, now - started);

        // The same writers, outcome and exit-code rule as mstg scan (no waivers for endpoints yet).
        var report = run.ToReport(endpoints.Select(e => e.ToString()).ToList());
        var context = ScanReportContext.Default;
        using (var buffer = new MemoryStream())
        {
            writer.Write(report, buffer, context);
            var text = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
            if (o.Output is null) await stdout.WriteAsync(text).ConfigureAwait(false);
            else
            {
                await File.WriteAllTextAsync(o.Output, text, ct).ConfigureAwait(false);
                await stderr.WriteLineAsync($"mstg: {context.Outcome(report)}: {context.Open(report, Verdict.Fail)} failed, {context.Open(report, Verdict.Warn)} warnings, " +
                    $"{report.Count(Verdict.Skipped)} skipped; {writer.Format} report written to {TerminalText.Escape(o.Output)}").ConfigureAwait(false);
            }
        }
        var failed = context.Open(report, Verdict.Fail) > 0
            || (warnFails.Value && context.Open(report, Verdict.Warn) > 0)
            || (o.Strict && context.Outcome(report) == "incomplete");
        return failed ? ExitCodes.RuleFailed : ExitCodes.Ok;
    }

    private static int Usage(TextWriter stderr, string message)
    {
        stderr.WriteLine($"mstg: {message}");
        stderr.WriteLine("Run 'mstg tls --help' for usage.");
        return ExitCodes.Usage;
    }
}
