using Mstg.Analysis;
using Mstg.Analysis.Reporting;
using Mstg.Analysis.Scanning;

namespace Mstg.Cli;

/// <summary><c>mstg scan</c>: static analysis of an IPA, app folder or Info.plist.</summary>
internal static class ScanCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        var parsed = ArgParser.Parse(args, flags: ["--timings", "--strict"], options: ["--profile", "--format", "--output", "--first-party", "--advisories", "--max-entry-size", "--max-strings"]);
        if (parsed.Positionals.Count != 1)
            throw new UsageException(parsed.Positionals.Count == 0 ? "scan needs the path of an .ipa, an .app folder or an Info.plist" : "scan takes exactly one path");

        var target = parsed.Positionals[0];
        if (!File.Exists(target) && !Directory.Exists(target))
            throw new UsageException($"'{target}' does not exist");

        var profile = parsed.Single("--profile") switch
        {
            null or "L1" or "l1" => Profile.L1,
            "L2" or "l2" => Profile.L2,
            var other => throw new UsageException($"--profile must be L1 or L2, not '{other}'"),
        };
        var formatName = parsed.Single("--format") ?? "text";
        var report = ScanReports.ForFormat(formatName)
            ?? throw new UsageException($"--format must be one of {string.Join(", ", ScanReports.All.Select(r => r.Format))}, not '{formatName}'");

        var limits = Bundles.BundleLimits.Default;
        if (parsed.Single("--max-entry-size") is { } max)
            limits = limits with { MaxEntrySize = long.TryParse(max, out var bytes) && bytes > 0 ? bytes : throw new UsageException("--max-entry-size takes a positive number of bytes") };

        var machO = Mstg.MachO.MachOReadOptions.Default;
        if (parsed.Single("--max-strings") is { } maxStrings)
            machO = machO with { MaxStrings = int.TryParse(maxStrings, out var count) && count > 0 ? count : throw new UsageException("--max-strings takes a positive number") };

        var options = new ScanOptions
        {
            MachO = machO,
            Profile = profile,
            FirstPartyDomains = parsed.All("--first-party").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
            AdvisoryFiles = parsed.All("--advisories").ToList(),
            Limits = limits,
        };

        // Read extra advisory files first: a typo in their path should stop the scan before it starts.
        if (options.AdvisoryFiles.Count > 0) Analysis.Libraries.AdvisoryDatabase.WithFiles(options.AdvisoryFiles);

        var result = Scanner.Default.Scan(target, options, ct);

        var outputPath = parsed.Single("--output");
        if (outputPath is null)
        {
            using var buffer = new MemoryStream();
            report.Write(result, buffer);
            stdout.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        else
        {
            using (var file = File.Create(outputPath)) report.Write(result, file);
            stderr.WriteLine($"mstg: {result.Outcome}: {result.Count(Verdict.Fail)} failed, {result.Count(Verdict.Warn)} warnings, {result.Count(Verdict.Skipped)} skipped; {report.Format} report written to {TerminalText.Escape(outputPath)}");
        }
        if (parsed.Has("--timings"))
            foreach (var (stage, time) in result.Timings.OrderByDescending(t => t.Value))
                stderr.WriteLine($"mstg: {time.TotalMilliseconds,8:0} ms  {stage}");
        return result.HasFailures || (parsed.Has("--strict") && result.IsIncomplete) ? ExitCodes.RuleFailed : ExitCodes.Ok;
    }
}
