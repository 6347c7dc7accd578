using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Mstg.Cli;

/// <summary>
/// The one command line of <c>mstg</c>: every verb, option and example is declared here, and System.CommandLine
/// generates the help, the <c>[suggest]</c> completions and the parse errors from it. The libraries only see
/// their options records (<see cref="ScanCommandOptions"/>, <c>ProxyCommandOptions</c>, <c>CaExportOptions</c>,
/// <c>AllureReportOptions</c>).
/// </summary>
internal static class MstgCommandLine
{
    public static RootCommand Create(TimeProvider? clock = null)
    {
        var root = new RootCommand("mstg — OWASP MSTG-NETWORK / MASVS-NETWORK checks for iOS apps")
        {
            ScanVerb.Create(clock ?? TimeProvider.System),
            TlsVerb.Create(clock ?? TimeProvider.System),
            ProxyVerb.Create(),
            CaVerb.Create(),
            ReportVerb.Create(),
            VersionVerb(),
        };
        var help = root.Options.OfType<HelpOption>().Single();
        var withExamples = new HelpWithExamples((HelpAction)help.Action!);
        help.Action = withExamples;
        // A command that needs a verb and got none shows its help, as a usage error: a script that forgot its verb must not pass.
        root.SetAction(withExamples.AsUsageError);
        foreach (var group in root.Subcommands.Where(c => c.Subcommands.Count > 0 && c.Action is null)) group.SetAction(withExamples.AsUsageError);
        // `mstg --version` prints what `mstg version` prints (the generated one would add the build hash).
        root.Options.OfType<VersionOption>().Single().Action = new PrintVersion();
        return root;
    }

    private static Command VersionVerb()
    {
        var version = new Command("version", "Print the version of mstg.");
        version.SetAction(new PrintVersion().Invoke);
        return version;
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine($"mstg {Analysis.Reporting.ScanReports.ToolVersion}");
            return ExitCodes.Ok;
        }
    }

    /// <summary>Examples printed after each command's generated help, keyed by the command's name.</summary>
    private static readonly Dictionary<string, string[]> Examples = new(StringComparer.Ordinal)
    {
        ["mstg"] =
        [
            "mstg scan App.ipa",
            "mstg scan App.ipa --profile L2 --first-party example.com --format sarif --output mstg.sarif",
            "mstg proxy --condition untrusted-ca --scope '*.example.com' --har flows.har",
            "mstg ca export --format mobileconfig --from-proxy 127.0.0.1:8080 --out ca.mobileconfig",
            "mstg tls api.example.com --from-app App.ipa",
            "mstg report --results allure-results --output allure-report",
        ],
        ["scan"] =
        [
            "mstg scan App.ipa",
            "mstg scan ios/App/Info.plist --format sarif --output mstg.sarif",
            "mstg scan App.ipa --profile L2 --first-party example.com,example.net --fail-on warn",
            "mstg scan App.ipa --format sarif --source-map 'Payload/App.app/=ios/App/' --baseline mstg-baseline.json",
            "mstg scan App.ipa --format json --output scan.json --strict",
        ],
        ["tls"] =
        [
            "mstg tls api.example.com cdn.example.com:8443",
            "mstg tls --from-app App.ipa --format json --output tls.json",
            "mstg tls 127.0.0.1:8443 --sni api.example.com --trust private-ca.pem --fail-on warn",
        ],
        ["proxy"] =
        [
            "mstg proxy --condition trusted-ca --scope '*.example.com' --events events.jsonl --har flows.har",
            "mstg proxy --listen 0.0.0.0:8080 --allow-remote --condition expired   (MSTG_PROXY_AUTH=user:password)",
            "mstg proxy --condition tls10-only --host-map api.example.com=127.0.0.1:8443",
        ],
        ["ca"] = ["mstg ca export --format pem --from-proxy 127.0.0.1:8080"],
        ["export"] =
        [
            "mstg ca export --format pem --from-proxy 127.0.0.1:8080",
            "mstg ca export --format mobileconfig --scope '*.example.com' --key-out ca.key --out ca.mobileconfig",
        ],
        ["report"] =
        [
            "mstg report --results allure-results --output allure-report",
            "mstg report --results allure-results --output report --engine allure3 --single-file --name 'App 1.4'",
            "mstg report --results results-iphone15 --results results-iphone12 --output report",
        ],
    };

    private sealed class HelpWithExamples(HelpAction generated) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            generated.Invoke(parseResult);
            var command = parseResult.CommandResult.Command;
            var output = parseResult.InvocationConfiguration.Output;
            if (Examples.TryGetValue(command is RootCommand ? "mstg" : command.Name, out var examples))
            {
                output.WriteLine("Examples:");
                foreach (var e in examples) output.WriteLine($"  {e}");
                output.WriteLine();
            }
            if (command is RootCommand or { Name: "scan" } or { Name: "tls" })
            {
                output.WriteLine("Exit codes: 0 nothing failed, 1 a rule failed (--fail-on warn: or warned; --strict: or the scan was");
                output.WriteLine("            incomplete), 2 bad input or usage, 130 stopped by SIGINT (Ctrl-C), 143 stopped by SIGTERM;");
                output.WriteLine("            a stopped scan writes no report.");
                output.WriteLine();
            }
            return ExitCodes.Ok;
        }

        public int AsUsageError(ParseResult parseResult)
        {
            Invoke(parseResult);
            return ExitCodes.Usage;
        }
    }
}
