using System.CommandLine;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Cli;

namespace Mstg.Cli;

/// <summary><c>mstg proxy</c>: the interception proxy's options, handed to the proxy library as <see cref="ProxyCommandOptions"/>.</summary>
internal static class ProxyVerb
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address and port to listen on.", HelpName = "ADDRESS:PORT", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var condition = new Option<string>("--condition") { Description = "Certificate condition presented to the app.", HelpName = "CONDITION", DefaultValueFactory = _ => "trusted-ca" };
        condition.CompletionSources.Add(Enum.GetValues<CertificateCondition>().Select(c => c.ToName()).ToArray());
        var scope = new Option<string[]>("--scope") { Description = "Hosts to intercept ('*.example.com'; comma-separated, repeatable); others pass through.", HelpName = "PATTERN" };
        var hostMap = new Option<string[]>("--host-map") { Description = "Send a host's connections elsewhere (repeatable).", HelpName = "HOST=ADDRESS:PORT" };
        var upstreamCa = new Option<string?>("--upstream-ca") { Description = "PEM roots trusted for upstream servers.", HelpName = "FILE" };
        var events = new Option<string?>("--events") { Description = "Write proxy events as JSON lines.", HelpName = "FILE" };
        var har = new Option<string?>("--har") { Description = "Write decrypted flows as HAR when the proxy stops.", HelpName = "FILE" };
        var auth = new Option<string?>("--auth") { Description = $"Proxy credentials (or {ProxyCommand.AuthVariable}, which keeps the password out of ps).", HelpName = "USER:PASSWORD" };
        var caCert = new Option<string?>("--ca-cert") { Description = "Reuse a saved run CA certificate (with --ca-key).", HelpName = "FILE" };
        var caKey = new Option<string?>("--ca-key") { Description = "The saved run CA's private key.", HelpName = "FILE" };
        var writeCaKey = new Option<string?>("--write-ca-key") { Description = "Write the run CA's private key (mode 0600).", HelpName = "FILE" };
        var control = new Option<string?>("--control") { Description = "Line protocol for out-of-process use: JSON events on stdout, commands on stdin.", HelpName = "stdio" };
        control.AcceptOnlyFromAmong("stdio");
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Accept clients from other machines (needs --auth)." };
        var noRedact = new Option<bool>("--no-redact") { Description = "Keep secrets in events and HAR (redacted by default)." };
        var legacyTls = new Option<bool>("--legacy-tls") { Description = "Run with OpenSSL relaxed for TLS 1.0/1.1 (a child process)." };
        var transparent = new Option<bool>("--transparent") { Description = "Accept redirected (non-proxy) connections." };
        var quiet = new Option<bool>("--quiet") { Description = "No line per connection." };

        var proxy = new Command("proxy", "Interception proxy with swappable certificate conditions (docs/proxy.md). Runs until Ctrl-C or SIGTERM.")
        {
            listen, condition, scope, hostMap, upstreamCa, events, har, auth, caCert, caKey, writeCaKey, control, allowRemote, noRedact, legacyTls, transparent, quiet,
        };
        proxy.SetAction((r, ct) => ProxyCommand.RunAsync(new ProxyCommandOptions
        {
            Listen = r.GetValue(listen)!,
            Condition = r.GetValue(condition)!,
            Scope = r.GetValue(scope) ?? [],
            HostMap = r.GetValue(hostMap) ?? [],
            UpstreamCa = r.GetValue(upstreamCa),
            Events = r.GetValue(events),
            Har = r.GetValue(har),
            Auth = r.GetValue(auth),
            CaCert = r.GetValue(caCert),
            CaKey = r.GetValue(caKey),
            WriteCaKey = r.GetValue(writeCaKey),
            Control = r.GetValue(control),
            AllowRemote = r.GetValue(allowRemote),
            NoRedact = r.GetValue(noRedact),
            LegacyTls = r.GetValue(legacyTls),
            Transparent = r.GetValue(transparent),
            Quiet = r.GetValue(quiet),
        }, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error, ct));
        return proxy;
    }
}
