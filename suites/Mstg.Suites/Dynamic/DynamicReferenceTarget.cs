using System.Runtime.CompilerServices;
using Mstg.Devices;
using Mstg.Devices.Scenarios;
using Mstg.ReferenceTargets.Backend;
using Mstg.ReferenceTargets.Catalog;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// <c>MSTG_DYNAMIC_TARGET=reference:&lt;name&gt;</c>: the dynamic suite against one of fixtures/Mstg.ReferenceTargets'
/// targets (docs/devices.md, "Reference targets") with the reference backend started for the run. The only place the
/// dynamic suite touches those fixtures; every member that names their types is kept out of line, so a run against a
/// user's own app never loads them (the static suite's rule, Configuration/ReferenceAppSetting).
/// </summary>
public sealed class DynamicReferenceTarget : IAsyncDisposable
{
    public const string Prefix = "reference:";

    private readonly ReferenceBackend _backend;
    private readonly ReferenceTarget _target;

    private DynamicReferenceTarget(ReferenceBackend backend, ReferenceTarget target)
    {
        _backend = backend;
        _target = target;
    }

    /// <summary>The target's name, without the prefix.</summary>
    public string Name => _target.Name;

    /// <summary>The proxy's routing: every reference name to the backend, nothing else (HostMapOnly), the reference root trusted upstream.</summary>
    public IReadOnlyDictionary<string, string> HostMap => _backend.HostMap;
    public string RootPemPath => _backend.RootPemPath;
    public bool IsChromium => _target.Kind == DriverKind.Chromium;

    public static bool IsReference(string? setting) => setting?.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The first-party hosts of every reference target (their API and auth hosts; the CDN is third-party).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IReadOnlyList<string> FirstPartyHosts() => [ReferenceHosts.Api, ReferenceHosts.Auth];

    /// <summary>Checks the name against the catalogue and starts the backend.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<DynamicReferenceTarget> StartAsync(string setting, CancellationToken ct)
    {
        ReferenceTarget target;
        try { target = ReferenceTargetCatalog.Get(setting[Prefix.Length..].Trim()); }
        catch (KeyNotFoundException e) { throw new DynamicEnvironmentException($"{DynamicSettings.TargetVariable}: {e.Message}", e); }
        return new DynamicReferenceTarget(await ReferenceBackend.StartAsync(ct).ConfigureAwait(false), target);
    }

    /// <summary>The target's own scenario (it logs in on both first-party hosts).</summary>
    public Scenario LoadScenario() => _target.LoadScenario();

    /// <summary>The target's driver, routed through the run's proxy and trusting the run's CA on top of the reference root.</summary>
    public Task<IAppDriver> CreateDriverAsync(Uri proxy, Uri? appium, string runCaPem, CancellationToken ct) =>
        _target.CreateAsync(new ReferenceTargetContext(_backend) { Proxy = proxy, Appium = appium }, runCaPem, ct);

    public ValueTask DisposeAsync() => _backend.DisposeAsync();
}
