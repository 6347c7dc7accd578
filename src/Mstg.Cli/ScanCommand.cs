using Mstg.Analysis.Reporting;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Scanning;
using Mstg.Analysis.Waivers;

namespace Mstg.Cli;

/// <summary>What <c>mstg scan</c> was asked to do, as typed values (the parser in <see cref="ScanVerb"/> fills it).</summary>
public sealed record ScanCommandOptions
{
    public required string Target { get; init; }
    public string Profile { get; init; } = "L1";
    public string Format { get; init; } = "text";
    public string? Output { get; init; }
    public IReadOnlyList<string> FirstParty { get; init; } = [];
    public IReadOnlyList<string> Advisories { get; init; } = [];
    public long? MaxEntrySize { get; init; }
    public int? MaxStrings { get; init; }
    public bool Timings { get; init; }
    public bool Strict { get; init; }
    /// <summary>"fail" (default): only failures exit 1; "warn": warnings too.</summary>
    public string FailOn { get; init; } = "fail";
    public string? Baseline { get; init; }
    public IReadOnlyList<string> SourceMap { get; init; } = [];
}

/// <summary><c>mstg scan</c>: static analysis of an IPA, app folder or Info.plist.</summary>
internal static class ScanCommand
{
    public static int Run(ScanCommandOptions o, TextWriter stdout, TextWriter stderr, TimeProvider clock, CancellationToken ct = default)
    {
        var target = o.Target;
        if (!File.Exists(target) && !Directory.Exists(target))
            throw new UsageException($"'{target}' does not exist");

        var profile = o.Profile switch
        {
            "L1" or "l1" => Profile.L1,
            "L2" or "l2" => Profile.L2,
            var other => throw new UsageException($"--profile must be L1 or L2, not '{other}'"),
        };
        var report = ScanReports.ForFormat(o.Format)
            ?? throw new UsageException($"--format must be one of {string.Join(", ", ScanReports.All.Select(r => r.Format))}, not '{o.Format}'");
        var warnFails = o.FailOn.ToLowerInvariant() switch
        {
            "fail" => false,
            "warn" => true,
            _ => throw new UsageException($"--fail-on must be fail or warn, not '{o.FailOn}'"),
        };

        var limits = Bundles.BundleLimits.Default;
        if (o.MaxEntrySize is { } bytes)
            limits = limits with { MaxEntrySize = bytes > 0 ? bytes : throw new UsageException("--max-entry-size takes a positive number of bytes") };
        var machO = Mstg.MachO.MachOReadOptions.Default;
        if (o.MaxStrings is { } count)
            machO = machO with { MaxStrings = count > 0 ? count : throw new UsageException("--max-strings takes a positive number") };

        var options = new ScanOptions
        {
            MachO = machO,
            Profile = profile,
            FirstPartyDomains = o.FirstParty.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
            AdvisoryFiles = o.Advisories.ToList(),
            Limits = limits,
            // Expiry checks (TrustKit, certificates, end of life) read the same clock as the waivers below.
            Clock = clock,
        };

        // Read everything the user named first: a typo in a path should stop the scan before it starts (the scanner
        // reads the advisory files once, before it opens the app).
        var waivers = o.Baseline is null ? [] : WaiverFile.Load(o.Baseline);
        var sourceMap = SourceMap.Parse(o.SourceMap);

        var result = Scanner.Default.Scan(target, options, ct);
        var context = new ScanReportContext
        {
            Waivers = WaiverFile.Apply(result.Findings, waivers, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)),
            BaselinePath = o.Baseline,
            SourceMap = sourceMap,
        };

        if (o.Output is null)
        {
            using var buffer = new MemoryStream();
            report.Write(result, buffer, context);
            stdout.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        else
        {
            using (var file = File.Create(o.Output)) report.Write(result, file, context);
            stderr.WriteLine($"mstg: {context.Outcome(result)}: {context.Open(result, Verdict.Fail)} failed, {context.Open(result, Verdict.Warn)} warnings, " +
                $"{result.Count(Verdict.Skipped)} skipped{(context.Waivers.Suppressed.Count > 0 ? $", {context.Waivers.Suppressed.Count} suppressed" : "")}; " +
                $"{report.Format} report written to {TerminalText.Escape(o.Output)}");
        }
        // Expired waivers are easy to miss inside a JSON or SARIF file: say so where the person running the scan looks.
        foreach (var expired in context.Waivers.Expired)
            stderr.WriteLine($"mstg: expired waiver, suppresses nothing: {TerminalText.Escape(expired.ToString())}");
        if (o.Timings)
            foreach (var (stage, time) in result.Timings.OrderByDescending(t => t.Value))
                stderr.WriteLine($"mstg: {time.TotalMilliseconds,8:0} ms  {stage}");

        var failed = context.Open(result, Verdict.Fail) > 0
            || (warnFails && context.Open(result, Verdict.Warn) > 0)
            || (o.Strict && context.Outcome(result) == "incomplete");
        return failed ? ExitCodes.RuleFailed : ExitCodes.Ok;
    }
}
