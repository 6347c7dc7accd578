using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mstg.ServerTls;
using Mstg.ServerTls.Probing;
using Mstg.Suites.Configuration;
using Mstg.Suites.Static;

namespace Mstg.Suites.Server;

/// <summary>
/// The assembly fixture that probes every configured endpoint once per test run (all at once, with the prober's bounded
/// concurrency) and shares the reports between the server rows (AssemblyInfo.cs registers it). The probe starts when the
/// first server row asks, so a run filtered to other kinds probes nothing. Findings are correlated with the first
/// configured app that can be read (its ATS exceptions and pins), as <c>mstg tls --from-app</c> does.
/// </summary>
public sealed class ServerProbes
{
    private readonly Lazy<Task<ProbeRun>> _run = new(ProbeAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public Task<ProbeRun> RunAsync() => _run.Value;

    private static async Task<ProbeRun> ProbeAsync()
    {
        if (ServerEndpoints.Problem is { } problem) return new ProbeRun([], null, problem);
        X509Certificate2Collection? anchors = null;
        var trust = SuiteSettings.Read(ServerEndpoints.TrustVariable);
        if (trust.Value is { } file)
        {
            if (!File.Exists(file)) return new ProbeRun([], null, $"{ServerEndpoints.TrustVariable} ({trust.Source}): '{file}' does not exist");
            anchors = [];
            try { anchors.ImportFromPemFile(file); }
            catch (CryptographicException e) { return new ProbeRun([], null, $"{ServerEndpoints.TrustVariable} ({trust.Source}): '{file}' is not a PEM certificate file ({e.Message})"); }
            if (anchors.Count == 0) return new ProbeRun([], null, $"{ServerEndpoints.TrustVariable} ({trust.Source}): '{file}' holds no PEM certificate");
        }
        var app = SuiteApps.All.Select(ServerEndpoints.App).FirstOrDefault(a => a is not null);
        var reports = await TlsScan.ProbeAllAsync(ServerEndpoints.All, new ProbeOptions { TrustAnchors = anchors }).ConfigureAwait(false);
        return new ProbeRun(reports, app, null);
    }
}

/// <summary>The reports of one run, the app they are judged with (null without one), or why nothing could be probed.</summary>
public sealed record ProbeRun(IReadOnlyList<EndpointReport> Reports, AppTlsContext? App, string? Problem)
{
    public EndpointReport? For(string key) => Reports.FirstOrDefault(r => ServerEndpoints.Key(r.Endpoint) == key);
}
