using Mstg.Devices.Scenarios;
using OpenQA.Selenium.Remote;

namespace Mstg.Devices.Appium;

/// <summary>
/// The app on an iPhone (simulator, cabled device or farm) through Appium's XCUITest driver. Opening the session installs
/// and launches the app (Appium's default); stopping ends the session, which terminates it. Launch, terminate and deep
/// links in scenarios are XCUITest <c>mobile:</c> methods; trusting the CA is <c>mobile: installCertificate</c>. The
/// device's proxy is not a capability: see docs/devices.md per target.
/// </summary>
public sealed class AppiumXcuitestDriver(DeviceTarget target, ScenarioRunner? runner = null) : IAppDriver
{
    private readonly ScenarioRunner _runner = runner ?? new ScenarioRunner();
    private RemoteWebDriver? _session;

    public string Name => target.ToString();
    public RemoteWebDriver Session => _session ?? throw new InvalidOperationException($"{Name}: the app is not started");
    private MobileCommands Mobile => new(Session, target.Options.ToCapabilities().GetCapability("appium:automationName") as string ?? "unknown");

    public Task StartAsync(CancellationToken ct = default)
    {
        _session ??= AppiumSession.Open(target);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct = default)
    {
        AppiumSession.Close(ref _session);
        return Task.CompletedTask;
    }

    public async Task RestartAsync(CancellationToken ct = default)
    {
        await StopAsync(ct).ConfigureAwait(false);
        await StartAsync(ct).ConfigureAwait(false);
    }

    public async Task<ScenarioResult> RunScenarioAsync(Scenario scenario, CancellationToken ct = default)
    {
        await StartAsync(ct).ConfigureAwait(false);
        var scenarioTarget = new WebDriverScenarioTarget(() => Session,
            _ => { Mobile.LaunchApp(BundleId()); return Task.CompletedTask; },
            _ => { Mobile.TerminateApp(BundleId()); return Task.CompletedTask; },
            (url, _) => { Session.ExecuteScript("mobile: deepLink", new Dictionary<string, object> { ["url"] = url.ToString(), ["bundleId"] = BundleId() }); return Task.CompletedTask; });
        return await _runner.RunAsync(scenario, scenarioTarget, ct).ConfigureAwait(false);
    }

    public Task<byte[]?> ScreenshotAsync(CancellationToken ct = default) => Task.FromResult<byte[]?>(Session.GetScreenshot().AsByteArray);
    public Task<string?> PageSourceAsync(CancellationToken ct = default) => Task.FromResult<string?>(Session.PageSource);
    public Task<string> DeviceLogAsync(CancellationToken ct = default) => Task.FromResult(AppiumSession.ReadLog(Session, "syslog"));

    /// <summary>On a simulator Appium adds the root through simctl; on a device it needs py-ios-device on the Appium host, else it falls back to a profile a person must approve (docs/devices.md).</summary>
    public async Task TrustCaAsync(string caPemPath, CancellationToken ct = default)
    {
        await StartAsync(ct).ConfigureAwait(false);
        var pem = await File.ReadAllTextAsync(caPemPath, ct).ConfigureAwait(false);
        var subject = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem).GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);
        Mobile.InstallCertificate(pem, subject);
    }

    /// <summary>XCUITest cannot remove a root from a simulator's store; the simulator is reset instead (docs/devices.md).</summary>
    public Task DistrustCaAsync(CancellationToken ct = default) =>
        throw new DeviceEnvironmentException(Name, "removing a trusted root is not possible through Appium; run `xcrun simctl keychain <udid> reset` (simulator) or remove the profile (device)");

    private string BundleId() => target.BundleId ?? throw new NotSupportedException($"{Name}: launch, terminate and deep links need the app's bundle id (MSTG_BUNDLE_ID)");

    public ValueTask DisposeAsync() => new(StopAsync());
}
