using System.CommandLine;
using Mstg.Allure;
using Mstg.Allure.Report;

namespace Mstg.Cli;

/// <summary><c>mstg report</c>: the Allure HTML report from allure-results (docs/allure.md).</summary>
internal static class ReportVerb
{
    public static Command Create()
    {
        var results = new Option<string[]>("--results")
        {
            Description = "The allure-results folder; repeat it to merge several runs (one per device) into one report.",
            HelpName = "DIR", Required = true, AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string>("--output") { Description = "Folder for the HTML report (replaced).", HelpName = "DIR", Required = true };
        var engine = new Option<string>("--engine") { Description = "Allure generator.", HelpName = "allure2|allure3", DefaultValueFactory = _ => "allure2" };
        engine.CompletionSources.Add("allure2", "allure3");
        engine.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && AllureReportCommand.ParseEngine(r.Tokens[0].Value) is null)
                r.AddError($"unknown engine '{r.Tokens[0].Value}' (allure2 or allure3)");
        });
        var singleFile = new Option<bool>("--single-file") { Description = "One self-contained index.html." };
        var name = new Option<string?>("--name") { Description = "Report title (default MstgTests).", HelpName = "NAME" };
        var repoRoot = new Option<string?>("--repo-root") { Description = "Folder whose node_modules holds the pinned Allure tools.", HelpName = "DIR" };
        var report = new Command("report", "Build the Allure HTML report from allure-results.") { results, output, engine, singleFile, name, repoRoot };
        report.SetAction((r, ct) => AllureReportCommand.RunAsync(new AllureReportOptions
        {
            Results = r.GetValue(results)![0],
            MoreResults = r.GetValue(results)![1..],
            Output = r.GetValue(output)!,
            Engine = AllureReportCommand.ParseEngine(r.GetValue(engine)!)!.Value,
            SingleFile = r.GetValue(singleFile),
            Name = r.GetValue(name),
            RepoRoot = r.GetValue(repoRoot),
        }, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error, ct));
        return report;
    }
}
