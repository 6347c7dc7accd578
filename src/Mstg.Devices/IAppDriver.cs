using Mstg.Devices.Scenarios;

namespace Mstg.Devices;

/// <summary>
/// The app under test as the fixtures see it, whatever runs it (Appium on Chromium, XCUITest on a simulator, device or
/// farm, or a command-line client). The proxy and CA are given when the driver is made; trust is changed per condition.
/// Environment problems (no Appium, no device, farm unreachable) are <see cref="DeviceEnvironmentException"/>.
/// </summary>
public interface IAppDriver : IAsyncDisposable
{
    /// <summary>What this is, for reports: "appium-chromium", "xcuitest simulator iPhone 15", "process curl" …</summary>
    string Name { get; }

    Task StartAsync(CancellationToken ct = default);
    Task StopAsync(CancellationToken ct = default);
    Task RestartAsync(CancellationToken ct = default);

    /// <summary>Runs the scenario; a failing step is a result, not an exception.</summary>
    Task<ScenarioResult> RunScenarioAsync(Scenario scenario, CancellationToken ct = default);

    Task<byte[]?> ScreenshotAsync(CancellationToken ct = default);
    Task<string?> PageSourceAsync(CancellationToken ct = default);

    /// <summary>The device's or app's log since the last call where the platform keeps one (XCUITest: syslog; Chromium: the browser console; a process: its output).</summary>
    Task<string> DeviceLogAsync(CancellationToken ct = default);

    /// <summary>Makes the app trust the CA in <paramref name="caPemPath"/> (the run's CA, from <c>mstg ca export</c>); takes effect at the next start where the platform needs one.</summary>
    Task TrustCaAsync(string caPemPath, CancellationToken ct = default);

    /// <summary>Withdraws the trust given by <see cref="TrustCaAsync"/>, where the platform allows it from code.</summary>
    Task DistrustCaAsync(CancellationToken ct = default);
}

/// <summary>Where the app's traffic goes: the proxy the run started (http://127.0.0.1:port), or none.</summary>
public sealed record AppRouting(Uri? Proxy)
{
    public static AppRouting Direct { get; } = new((Uri?)null);
}
