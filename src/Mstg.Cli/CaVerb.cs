using System.CommandLine;
using Mstg.Proxy.Cli;

namespace Mstg.Cli;

/// <summary><c>mstg ca export</c>: exports a run CA (from a running proxy, a saved CA, or a new one whose key is kept).</summary>
internal static class CaVerb
{
    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "Certificate format.", HelpName = "pem|der|mobileconfig", DefaultValueFactory = _ => "pem" };
        format.CompletionSources.Add("pem", "der", "mobileconfig");
        var output = new Option<string?>("--out") { Description = "Write to FILE (needed for der).", HelpName = "FILE" };
        var fromProxy = new Option<string?>("--from-proxy") { Description = "Fetch the CA of a running proxy.", HelpName = "HOST:PORT" };
        var scope = new Option<string[]>("--scope") { Description = "Name constraints of a new CA (comma-separated, repeatable).", HelpName = "PATTERN" };
        var keyOut = new Option<string?>("--key-out") { Description = "Create a new CA and write its key here (mode 0600).", HelpName = "FILE" };
        var caCert = new Option<string?>("--ca-cert") { Description = "Export a saved CA (with --ca-key).", HelpName = "FILE" };
        var caKey = new Option<string?>("--ca-key") { Description = "The saved CA's private key.", HelpName = "FILE" };
        var validDays = new Option<int>("--valid-days") { Description = $"Lifetime of a new CA (1 to {CaExportOptions.MaxValidDays} days; a device CA trusted once).", HelpName = "DAYS", DefaultValueFactory = _ => 1 };
        var export = new Command("export", "Export the run CA certificate as PEM, DER or an iOS configuration profile.")
        {
            format, output, fromProxy, scope, keyOut, caCert, caKey, validDays,
        };
        export.SetAction((r, ct) => CaCommand.ExportAsync(new CaExportOptions
        {
            Format = r.GetValue(format)!,
            Out = r.GetValue(output),
            FromProxy = r.GetValue(fromProxy),
            Scope = r.GetValue(scope) ?? [],
            KeyOut = r.GetValue(keyOut),
            CaCert = r.GetValue(caCert),
            CaKey = r.GetValue(caKey),
            ValidDays = r.GetValue(validDays),
        }, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error, ct));
        return new Command("ca", "Run CA certificates for devices under test.") { export };
    }
}
