using Mstg.Allure.Report;
using Mstg.Proxy.Cli;

namespace Mstg.Cli;

/// <summary>Commands implemented by other libraries (Allure report, proxy, CA export), routed here so there is one <c>mstg</c>.</summary>
internal static class ExternalCommands
{
    /// <summary>Runs the command, or returns null when no library owns <paramref name="args"/>[0].</summary>
    public static async Task<int?> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) => args[0] switch
    {
        "report" => await AllureReportCommand.RunAsync(args[1..], stdout, stderr, ct),
        "proxy" => await ProxyCommand.RunAsync(args[1..], stdout, stderr, ct),
        "ca" => await CaCommand.RunAsync(args[1..], stdout, stderr, ct),
        _ => null,
    };
}
