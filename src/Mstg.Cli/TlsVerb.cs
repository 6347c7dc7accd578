using System.CommandLine;
using Mstg.ServerTls.Cli;
using Mstg.Analysis.Reporting;

namespace Mstg.Cli;

/// <summary><c>mstg tls</c>: declares its arguments and options and turns a parse into <see cref="TlsCommandOptions"/>.</summary>
internal static class TlsVerb
{
    public static Command Create(TimeProvider clock)
    {
        var targets = new Argument<string[]>("host[:port]") { Description = "Endpoints to probe (port 443 when none is given; https:// URLs work too).", Arity = ArgumentArity.ZeroOrMore };
        targets.Validators.Add(r =>
        {
            foreach (var t in r.Tokens)
                if (t.Value.StartsWith('-') && t.Value.Length > 1) r.AddError($"unknown option '{t.Value.Split('=')[0]}'");
        });
        var fromApp = new Option<string?>("--from-app") { Description = "An .ipa, .app folder or Info.plist: judge its ATS exceptions and pins against the servers (and probe its domains when no host is named).", HelpName = "APP" };
        var sni = new Option<string?>("--sni") { Description = "Name to send as SNI and to match the certificate against (default: the host).", HelpName = "NAME" };
        var trust = new Option<string?>("--trust") { Description = "PEM file of trust anchors instead of the system's store.", HelpName = "FILE" };
        var format = new Option<string>("--format") { Description = "Report format.", HelpName = string.Join('|', ScanReports.All.Select(r => r.Format)), DefaultValueFactory = _ => "text" };
        format.CompletionSources.Add(ScanReports.All.Select(r => r.Format).ToArray());
        var output = new Option<string?>("--output") { Description = "Write the report to FILE instead of standard output.", HelpName = "FILE" };
        var failOn = new Option<string>("--fail-on") { Description = "Lowest verdict that makes the exit code 1: fail, or warn for warnings too.", HelpName = "fail|warn", DefaultValueFactory = _ => "fail" };
        failOn.CompletionSources.Add("fail", "warn");
        var strict = new Option<bool>("--strict") { Description = "Exit 1 also when an endpoint could not be probed." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for a connection or an answer.", HelpName = "SECONDS", DefaultValueFactory = _ => 5 };
        var concurrency = new Option<int>("--concurrency") { Description = "Endpoints probed at once.", HelpName = "N", DefaultValueFactory = _ => 8 };
        var tls = new Command("tls", "Server-side TLS and ATS diagnostics of endpoints: versions, suites, chain, the nscurl ATS matrix, and the app's exceptions and pins (docs/tls.md).")
        {
            targets, fromApp, sni, trust, format, output, failOn, strict, timeout, concurrency,
        };
        tls.SetAction((r, ct) => TlsCommand.RunAsync(new TlsCommandOptions
        {
            Targets = r.GetValue(targets) ?? [],
            FromApp = r.GetValue(fromApp),
            Sni = r.GetValue(sni),
            Trust = r.GetValue(trust),
            Format = r.GetValue(format)!,
            Output = r.GetValue(output),
            FailOn = r.GetValue(failOn)!,
            Strict = r.GetValue(strict),
            TimeoutSeconds = r.GetValue(timeout),
            Concurrency = r.GetValue(concurrency),
        }, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error, ct, clock));
        return tls;
    }
}
