using Mstg.Proxy.Cli;

// Standalone entry point: `Mstg.Proxy proxy …` / `Mstg.Proxy ca export …`. The `mstg` CLI calls the same classes.
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => cts.Cancel();
return args switch
{
    ["proxy", .. var rest] => await ProxyCommand.RunAsync(rest, Console.Out, Console.Error, cts.Token),
    ["ca", .. var rest] => await CaCommand.RunAsync(rest, Console.Out, Console.Error, cts.Token),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Mstg.Proxy proxy [options] | Mstg.Proxy ca export --format pem|der|mobileconfig");
    return 2;
}
