using System.CommandLine;
using Mstg.Analysis.Reporting;

namespace Mstg.Cli;

/// <summary><c>mstg scan</c>: declares its arguments and options and turns a parse into <see cref="ScanCommandOptions"/>.</summary>
internal static class ScanVerb
{
    public static Command Create(TimeProvider clock)
    {
        var target = new Argument<string>("app") { Description = "The .ipa, .app folder or Info.plist to scan." };
        // The parser hands a word it does not know to the first free argument; a misspelt option must not become the path.
        target.Validators.Add(r =>
        {
            if (r.Tokens is [{ Value: var word }] && word.StartsWith('-') && word.Length > 1)
                r.AddError($"unknown option '{word.Split('=')[0]}'");
        });
        var profile = new Option<string>("--profile") { Description = "Verification level: L1 or L2 (pinning is required at L2).", HelpName = "L1|L2", DefaultValueFactory = _ => "L1" };
        profile.CompletionSources.Add("L1", "L2");
        var format = new Option<string>("--format") { Description = "Report format.", HelpName = string.Join('|', ScanReports.All.Select(r => r.Format)), DefaultValueFactory = _ => "text" };
        format.CompletionSources.Add(ScanReports.All.Select(r => r.Format).ToArray());
        var output = new Option<string?>("--output") { Description = "Write the report to FILE instead of standard output.", HelpName = "FILE" };
        var firstParty = new Option<string[]>("--first-party") { Description = "Domains the app's owner controls (judged for pinning); comma-separated, repeatable.", HelpName = "D1,D2" };
        var advisories = new Option<string[]>("--advisories") { Description = "Extra OSV-style advisory file (repeatable).", HelpName = "FILE" };
        var maxEntrySize = new Option<long?>("--max-entry-size") { Description = "Largest single file read from an IPA, in bytes.", HelpName = "BYTES" };
        var maxStrings = new Option<int?>("--max-strings") { Description = "Strings kept per Mach-O image (default 16,000,000; more: incomplete).", HelpName = "N" };
        var timings = new Option<bool>("--timings") { Description = "Print where the scan spent its time (to standard error)." };
        var strict = new Option<bool>("--strict") { Description = "Exit 1 also when the scan is incomplete (skipped rules, unreadable files)." };
        var failOn = new Option<string>("--fail-on") { Description = "Lowest verdict that makes the exit code 1: fail, or warn for warnings too.", HelpName = "fail|warn", DefaultValueFactory = _ => "fail" };
        failOn.CompletionSources.Add("fail", "warn");
        var baseline = new Option<string?>("--baseline") { Description = "Waiver file of accepted findings, each with a justification and an expiry (docs/waivers.md).", HelpName = "FILE" };
        var sourceMap = new Option<string[]>("--source-map") { Description = "Map a path inside the package to a source path for SARIF, e.g. 'Payload/App.app/=ios/App/' (repeatable; longest prefix wins).", HelpName = "PKG=SRC" };

        var scan = new Command("scan", "Static analysis of an IPA, .app folder or Info.plist against the MSTG-NETWORK rules (docs/rules.md).")
        {
            target, profile, format, output, firstParty, advisories, maxEntrySize, maxStrings, timings, strict, failOn, baseline, sourceMap,
        };
        scan.SetAction((result, ct) => Task.FromResult(ScanCommand.Run(new ScanCommandOptions
        {
            Target = result.GetValue(target)!,
            Profile = result.GetValue(profile)!,
            Format = result.GetValue(format)!,
            Output = result.GetValue(output),
            FirstParty = result.GetValue(firstParty) ?? [],
            Advisories = result.GetValue(advisories) ?? [],
            MaxEntrySize = result.GetValue(maxEntrySize),
            MaxStrings = result.GetValue(maxStrings),
            Timings = result.GetValue(timings),
            Strict = result.GetValue(strict),
            FailOn = result.GetValue(failOn)!,
            Baseline = result.GetValue(baseline),
            SourceMap = result.GetValue(sourceMap) ?? [],
        }, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, clock, ct)));
        return scan;
    }
}
