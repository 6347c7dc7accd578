using System.Runtime.InteropServices;
using Mstg.Proxy.Cli;
using Mstg.Proxy.Hosting;

// Internal child entry, not a command line for people (that is `mstg`, the only argument parser): the relaxed-OpenSSL
// process a parent starts with one options document in its private folder. `Mstg.Proxy host OPTIONS.json` is an
// out-of-process ProxyHost's child (Hosting/ProxyChild); `Mstg.Proxy proxy-command OPTIONS.json` is the child of
// `mstg proxy --legacy-tls` (Cli/ProxyCommandChild).
// A parent stops either with SIGTERM: SIGTERM and SIGINT only cancel, so the proxy drains its connections and writes
// the HAR and event log before it exits (the runtime's default would exit at once).
using var cts = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; cts.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; cts.Cancel(); });
return args switch
{
    [ProxyChildProcess.HostVerb, var optionsPath] => await ProxyChild.RunAsync(optionsPath, Console.In, Console.Out, Console.Error, cts.Token),
    [ProxyCommandChild.Verb, var optionsPath] => await ProxyCommandChild.RunAsync(optionsPath, Console.Out, Console.Error, cts.Token),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine($"Mstg.Proxy is an internal child entry ({ProxyChildProcess.HostVerb} OPTIONS.json | {ProxyCommandChild.Verb} OPTIONS.json), " +
        "started by a parent with a private options file. Run the proxy with `mstg proxy …` and export its CA with `mstg ca export …`.");
    return Mstg.ExitCodes.Usage;
}
