using System.Runtime.CompilerServices;
using Mstg.Devices;
using Mstg.Devices.Scenarios;
using Mstg.ReferenceTargets.Backend;
using Mstg.ReferenceTargets.Catalog;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// <c>MSTG_DYNAMIC_TARGET=reference:&lt;name&gt;[;reference:&lt;name&gt;…]</c>: the dynamic suite against fixtures/Mstg.ReferenceTargets'
/// targets (docs/devices.md, "Reference targets") with one reference backend for the run, shared by every target. The only
/// place the dynamic suite touches those fixtures; every member that names their types is kept out of line, so a run
/// against a user's own app never loads them (the static suite's rule, Configuration/ReferenceAppSetting).
/// </summary>
public sealed class DynamicReferenceTargets : IAsyncDisposable
{
    private readonly ReferenceBackend _backend;
    private readonly Dictionary<string, DynamicReferenceTarget> _targets;

    private DynamicReferenceTargets(ReferenceBackend backend, Dictionary<string, DynamicReferenceTarget> targets)
    {
        _backend = backend;
        _targets = targets;
    }

    /// <summary>The proxy's routing: every reference name to the backend, nothing else (HostMapOnly), the reference root trusted upstream.</summary>
    public IReadOnlyDictionary<string, string> HostMap => _backend.HostMap;
    public string RootPemPath => _backend.RootPemPath;

    /// <summary>The target of that name (one of those the set was started with).</summary>
    public DynamicReferenceTarget Get(string name) => _targets[name];

    /// <summary>
    /// Checks every name against the catalogue first (a typo anywhere in the list is an environment problem before anything
    /// starts, naming the setting and where it came from), then starts the backend once.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<DynamicReferenceTargets> StartAsync(IReadOnlyList<string> names, string source, CancellationToken ct)
    {
        var targets = new List<ReferenceTarget>();
        foreach (var name in names)
        {
            try { targets.Add(ReferenceTargetCatalog.Get(name)); }
            catch (KeyNotFoundException e) { throw new DynamicEnvironmentException($"{DynamicSettings.TargetVariable}: {e.Message} (from {source}; docs/dynamic.md)", e); }
        }
        var backend = await ReferenceBackend.StartAsync(ct).ConfigureAwait(false);
        return new DynamicReferenceTargets(backend, targets.ToDictionary(t => t.Name, t => new DynamicReferenceTarget(backend, t), StringComparer.OrdinalIgnoreCase));
    }

    public ValueTask DisposeAsync() => _backend.DisposeAsync();
}

/// <summary>One reference target of the run, on the run's backend (<see cref="DynamicReferenceTargets"/> owns it).</summary>
public sealed class DynamicReferenceTarget
{
    public const string Prefix = "reference:";

    private readonly ReferenceBackend _backend;
    private readonly ReferenceTarget _target;

    internal DynamicReferenceTarget(ReferenceBackend backend, ReferenceTarget target)
    {
        _backend = backend;
        _target = target;
    }

    /// <summary>The target's name, without the prefix.</summary>
    public string Name => _target.Name;

    public bool IsChromium => _target.Kind == DriverKind.Chromium;

    public static bool IsReference(string? setting) => setting?.TrimStart().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The first-party hosts of every reference target (their API and auth hosts; the CDN is third-party).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IReadOnlyList<string> FirstPartyHosts() => [ReferenceHosts.Api, ReferenceHosts.Auth];

    /// <summary>The target's own scenario (it logs in on both first-party hosts).</summary>
    public Scenario LoadScenario() => _target.LoadScenario();

    /// <summary>The target's driver, routed through the run's proxy and trusting the run's CA on top of the reference root.</summary>
    public Task<IAppDriver> CreateDriverAsync(Uri proxy, Uri? appium, string runCaPem, CancellationToken ct) =>
        _target.CreateAsync(new ReferenceTargetContext(_backend) { Proxy = proxy, Appium = appium }, runCaPem, ct);
}
