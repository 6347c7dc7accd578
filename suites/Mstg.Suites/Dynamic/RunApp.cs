using Mstg.Devices;
using Mstg.Devices.Appium;
using Mstg.Devices.CommandLine;
using Mstg.Devices.Scenarios;
using Mstg.Dynamic.Judging;
using Mstg.Suites.Configuration;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// The app under test for the run: the driver the settings select (docs/devices.md), routed through the run's proxy and
/// trusting the run's CA on top of its own roots, as a tester who installed the CA profile would. Started once;
/// restarted for every condition by the scenario's launch step (or before the scenario when it has none).
/// With <c>MSTG_DYNAMIC_TARGET=reference:&lt;name&gt;</c> the app is that reference target, built by the catalogue
/// (<see cref="DynamicReferenceTarget"/>), with its own scenario unless MSTG_SCENARIO names another.
/// </summary>
public sealed class RunApp : IAsyncDisposable
{
    private static readonly Scenario LaunchOnly = ScenarioParser.Parse("""{ "name": "launch", "steps": [ { "action": "launch" } ] }""", "(default scenario)");
    private readonly IAppDriver _driver;
    private readonly AppiumServer? _appium;

    private RunApp(IAppDriver driver, AppiumServer? appium, Scenario scenario, RunCaTrust caTrust)
    {
        _driver = driver;
        _appium = appium;
        Scenario = scenario;
        CaTrust = caTrust;
    }

    public string Name => _driver.Name;
    public Scenario Scenario { get; }

    /// <summary>
    /// Whether the driver's CA install makes the app trust the run's CA by itself: a process's CA file, Chromium's NSS store
    /// and a simulator's keychain do; a real device or a farm needs a person's full-trust switch, so it stays unproven there.
    /// </summary>
    public RunCaTrust CaTrust { get; }

    private static RunCaTrust TrustFor(DriverKind kind) =>
        kind is DriverKind.Process or DriverKind.Chromium or DriverKind.Simulator ? RunCaTrust.Installed : RunCaTrust.Unproven;

    public static async Task<RunApp> StartAsync(RunProxy proxy, DynamicReferenceTarget? reference, CancellationToken ct)
    {
        if (reference is not null) return await StartReferenceAsync(proxy, reference, ct).ConfigureAwait(false);
        var settings = DeviceSettings.FromEnvironment(name => SuiteSettings.Read(name).Value);
        Scenario scenario;
        try { scenario = DynamicSettings.ScenarioFile is { } file ? ScenarioParser.Load(file) : LaunchOnly; }
        catch (Exception e) when (e is ScenarioFormatException or IOException)
        {
            throw new DynamicEnvironmentException($"{DynamicSettings.ScenarioVariable}: {e.Message}", e);
        }
        var appCa = DynamicSettings.AppCa;
        // What the app trusts for the run: its own roots plus the run's CA.
        var trusted = Path.Combine(proxy.Directory, "app-trust.pem");
        await File.WriteAllTextAsync(trusted, (appCa is null ? "" : await File.ReadAllTextAsync(appCa, ct).ConfigureAwait(false) + "\n") +
            await File.ReadAllTextAsync(proxy.RunCaPem, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        AppiumServer? appium = null;
        IAppDriver driver;
        try
        {
            switch (settings.Kind)
            {
                case DriverKind.Process:
                    var command = ProcessAppSettings.SplitTemplate(Required("MSTG_APP_COMMAND"));
                    var processSettings = new ProcessAppSettings(command, new Uri(Required("MSTG_APP_URL")), proxy.Url);
                    driver = new ProcessAppDriver(appCa is null ? processSettings : processSettings with { DistrustedCaFile = appCa });
                    break;
                case DriverKind.Chromium:
                    appium = await StartAppiumAsync(ct).ConfigureAwait(false);
                    driver = settings.CreateDriver(appium.Url, proxy.Url, appCa is null ? [] : [appCa]);
                    break;
                default:
                    driver = settings.CreateDriver(null, proxy.Url);
                    break;
            }
            await driver.TrustCaAsync(settings.Kind == DriverKind.Process ? trusted : proxy.RunCaPem, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeviceEnvironmentException or ArgumentException or UriFormatException or IOException or InvalidOperationException)
        {
            if (appium is not null) await appium.DisposeAsync().ConfigureAwait(false);
            throw new DynamicEnvironmentException($"the app driver could not start: {e.Message}", e);
        }
        return new RunApp(driver, appium, scenario, TrustFor(settings.Kind));

        string Required(string name) => SuiteSettings.Read(name).Value
            ?? throw new DynamicEnvironmentException($"{name} is required for MSTG_DRIVER={settings.Kind.ToString().ToLowerInvariant()} (docs/devices.md)");
    }

    /// <summary>The Appium server of MSTG_APPIUM_URL, or one started from the repository's pinned node_modules.</summary>
    private static Task<AppiumServer> StartAppiumAsync(CancellationToken ct) =>
        SuiteSettings.Read("MSTG_APPIUM_URL").Value is { } url
            ? AppiumServer.ConnectAsync(new Uri(url), ct: ct)
            : AppiumServer.StartAsync(Fixtures.RepositoryLayout.Root, ct: ct);

    private static async Task<RunApp> StartReferenceAsync(RunProxy proxy, DynamicReferenceTarget reference, CancellationToken ct)
    {
        AppiumServer? appium = null;
        try
        {
            var scenario = DynamicSettings.ScenarioFile is { } file ? ScenarioParser.Load(file) : reference.LoadScenario();
            if (reference.IsChromium) appium = await StartAppiumAsync(ct).ConfigureAwait(false);
            var driver = await reference.CreateDriverAsync(proxy.Url, appium?.Url, proxy.RunCaPem, ct).ConfigureAwait(false);
            // Every reference target is given the run's CA in the store its TLS stack reads.
            return new RunApp(driver, appium, scenario, RunCaTrust.Installed);
        }
        catch (Exception e) when (e is DeviceEnvironmentException or ScenarioFormatException or ArgumentException or UriFormatException or IOException or InvalidOperationException)
        {
            if (appium is not null) await appium.DisposeAsync().ConfigureAwait(false);
            throw new DynamicEnvironmentException($"the reference target {reference.Name} could not start: {e.Message}", e);
        }
    }

    /// <summary>Restarts the app (through the scenario's own launch step when it starts with one) and runs the scenario.</summary>
    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        try
        {
            if (Scenario.Steps.FirstOrDefault()?.Action != StepAction.Launch) await _driver.RestartAsync(ct).ConfigureAwait(false);
            return await _driver.RunScenarioAsync(Scenario, ct).ConfigureAwait(false);
        }
        catch (DeviceEnvironmentException e)
        {
            throw new DynamicEnvironmentException($"{_driver.Name}: {e.Message}", e);
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        try { await _driver.StopAsync(ct).ConfigureAwait(false); }
        catch (DeviceEnvironmentException e) { throw new DynamicEnvironmentException($"{_driver.Name}: {e.Message}", e); }
    }

    public Task<string> LogAsync(CancellationToken ct) => _driver.DeviceLogAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _driver.DisposeAsync().ConfigureAwait(false);
        if (_appium is not null) await _appium.DisposeAsync().ConfigureAwait(false);
    }
}
