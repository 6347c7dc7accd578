using OpenQA.Selenium;

namespace Mstg.Devices.Appium;

/// <summary>
/// The XCUITest <c>mobile:</c> execute methods a run needs, each one call of <c>executeScript("mobile: name", {args})</c>
/// (what Appium.WebDriver's app-management calls do since its v5). A driver that does not implement a method answers
/// with an error that names it; that becomes a <see cref="DeviceEnvironmentException"/> saying which method and driver.
/// </summary>
public sealed class MobileCommands(IJavaScriptExecutor driver, string driverName)
{
    public object? LaunchApp(string bundleId, IReadOnlyList<string>? arguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var args = new Dictionary<string, object> { ["bundleId"] = bundleId };
        if (arguments is { Count: > 0 }) args["arguments"] = arguments;
        if (environment is { Count: > 0 }) args["environment"] = environment;
        return Execute("launchApp", args);
    }

    public bool TerminateApp(string bundleId) => Execute("terminateApp", new() { ["bundleId"] = bundleId }) is true;
    public void ActivateApp(string bundleId) => Execute("activateApp", new() { ["bundleId"] = bundleId });
    public void InstallApp(string app) => Execute("installApp", new() { ["app"] = app });
    public bool RemoveApp(string bundleId) => Execute("removeApp", new() { ["bundleId"] = bundleId }) is true;

    /// <summary>XCUIApplicationState: 0 unknown, 1 not running, 2 suspended, 3 background, 4 foreground.</summary>
    public long QueryAppState(string bundleId) => Execute("queryAppState", new() { ["bundleId"] = bundleId }) is long state ? state : 0;

    /// <summary>Installs a root (simulator: through simctl into the trusted store). Returns the .mobileconfig Appium made when it had to fall back to one.</summary>
    public string? InstallCertificate(string pem, string commonName) =>
        Execute("installCertificate", new()
        {
            ["content"] = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem)), ["commonName"] = commonName, ["isRoot"] = true,
        }) as string;

    private object? Execute(string method, Dictionary<string, object> args)
    {
        try
        {
            return driver.ExecuteScript("mobile: " + method, args);
        }
        catch (WebDriverException e) when (e is UnsupportedOperationException or UnknownMethodException
                                               || e.Message.Contains("not supported", StringComparison.OrdinalIgnoreCase)
                                               || e.Message.Contains("Unknown mobile command", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeviceEnvironmentException($"mobile: {method}", $"the {driverName} driver cannot run it: {FirstLine(e.Message)}", inner: e);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
