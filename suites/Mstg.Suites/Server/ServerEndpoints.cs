using Mstg.ServerTls;
using Mstg.Suites.Configuration;
using Mstg.Suites.Static;

namespace Mstg.Suites.Server;

/// <summary>
/// Which endpoints the server suite probes, read once per process from the settings (docs/tls.md, "The server suite"):
/// <c>MSTG_SERVER_ENDPOINTS</c> (<c>host:port</c>, comma or semicolon separated), plus, with <c>MSTG_SERVER_FROM_APP=1</c>,
/// the hosts the configured apps name in their ATS exceptions and pinned domains (port 443). <c>MSTG_SERVER_TRUST</c> is a
/// PEM file of trust anchors used instead of the system's store. A setting that cannot be read is a configuration
/// problem (<see cref="Problem"/>), reported by every server row as an environment problem, never a pass.
/// </summary>
public static class ServerEndpoints
{
    public const string EndpointsVariable = "MSTG_SERVER_ENDPOINTS";
    public const string TrustVariable = "MSTG_SERVER_TRUST";
    public const string FromAppVariable = "MSTG_SERVER_FROM_APP";

    /// <summary>The row key when no endpoint is configured: each server check gets one row that skips with the reason.</summary>
    public const string NotConfigured = "(no endpoint configured)";

    private static readonly Lazy<(IReadOnlyList<Endpoint> Endpoints, string? Problem)> Configured = new(Read, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IReadOnlyList<Endpoint> All => Configured.Value.Endpoints;

    /// <summary>Why the endpoint settings cannot be used (a bad host:port, an app that cannot be read); null when they can.</summary>
    public static string? Problem => Configured.Value.Problem;

    public static bool FromApp => SuiteSettings.Flag(FromAppVariable);

    /// <summary>The row keys: every endpoint as <c>host:port</c>, or one key that skips when none is configured.</summary>
    public static IReadOnlyList<string> Keys => All.Count == 0 ? [NotConfigured] : All.Select(Key).ToList();

    public static string Key(Endpoint endpoint) => endpoint.ToString();

    /// <summary>The reason a run without endpoints skips its server checks.</summary>
    public static string NoEndpointReason =>
        $"No endpoint configured: set {EndpointsVariable}=host:port,… or {FromAppVariable}=1 with an app whose ATS exceptions name hosts (docs/tls.md, \"The server suite\").";

    private static (IReadOnlyList<Endpoint>, string?) Read()
    {
        var list = new List<Endpoint>();
        var setting = SuiteSettings.Read(EndpointsVariable);
        foreach (var target in (setting.Value ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try { list.Add(Endpoint.Parse(target)); }
            catch (FormatException e) { return ([], $"{EndpointsVariable} ({setting.Source}): {e.Message}"); }
        }
        if (FromApp)
            foreach (var app in SuiteApps.All)
            {
                if (App(app) is not { } context) return ([], $"{FromAppVariable}=1 but {app.Describe()} cannot be read for its ATS exceptions");
                list.AddRange(context.DeclaredHosts.Select(h => new Endpoint(h, 443)));
            }
        return (list.Distinct().ToList(), null);
    }

    /// <summary>The ATS exceptions and pins of a configured app, or null when it cannot be read.</summary>
    public static AppTlsContext? App(SuiteApp app)
    {
        if (app.Error is not null || app.Path is null) return null;
        try { return AppTlsContext.Load(app.Path); }
        catch (MstgInputException) { return null; }
    }
}
