using System.Runtime.InteropServices;
using Mstg.Proxy.Cli;
using Mstg.Proxy.Hosting;

// Standalone entry point: `Mstg.Proxy proxy …` / `Mstg.Proxy ca export …`, and `Mstg.Proxy host OPTIONS.json`, the
// child an out-of-process ProxyHost starts (Hosting/ProxyChild). The `mstg` CLI calls the same classes.
// This is also the relaxed-OpenSSL child a parent stops with SIGTERM: SIGTERM and SIGINT only cancel, so the proxy
// drains its connections and writes the HAR and event log before it exits (the runtime's default would exit at once).
using var cts = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; cts.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; cts.Cancel(); });
return args switch
{
    [ProxyChildProcess.HostVerb, var optionsPath] => await ProxyChild.RunAsync(optionsPath, Console.In, Console.Out, Console.Error, cts.Token),
    ["proxy", .. var rest] => await ProxyCommand.RunAsync(rest, Console.Out, Console.Error, cts.Token),
    ["ca", .. var rest] => await CaCommand.RunAsync(rest, Console.Out, Console.Error, cts.Token),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Mstg.Proxy proxy [options] | Mstg.Proxy ca export --format pem|der|mobileconfig");
    return Mstg.ExitCodes.Usage;
}
