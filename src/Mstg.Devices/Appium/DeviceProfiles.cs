namespace Mstg.Devices.Appium;

/// <summary>The app and device a farm run asks for; the farm-specific parts are in <see cref="DeviceProfiles"/>.</summary>
/// <param name="App">The farm's id of the uploaded build: bs://…, storage:filename=…, lt://…</param>
/// <param name="Tunnel">The BrowserStack Local identifier, Sauce Connect or LambdaTest tunnel name that routes the device's traffic to the proxy; null for none.</param>
public sealed record FarmApp(string DeviceName, string PlatformVersion, string App, string? BundleId, string Build, string SessionName, string? Tunnel);

/// <summary>
/// XCUITest targets as capability builders, one per place an iPhone can be: a simulator or a cabled device behind an
/// Appium server on a Mac, or a device farm. Capability names are the vendors' documented ones (appium-xcuitest-driver
/// capabilities.md, BrowserStack bstack:options, Sauce Labs sauce:options, LambdaTest lt:options, AWS Device Farm's
/// DEVICEFARM_* variables). Credentials come only from environment variables, read through <c>environment</c> so tests
/// can give their own; a missing one is a <see cref="DeviceEnvironmentException"/> naming the variable.
/// </summary>
public static class DeviceProfiles
{
    public const string BrowserStackUser = "BROWSERSTACK_USERNAME", BrowserStackKey = "BROWSERSTACK_ACCESS_KEY";
    public const string SauceUser = "SAUCE_USERNAME", SauceKey = "SAUCE_ACCESS_KEY", SauceRegion = "SAUCE_REGION";
    public const string LambdaTestUser = "LT_USERNAME", LambdaTestKey = "LT_ACCESS_KEY";

    public static readonly Uri BrowserStackHub = new("https://hub-cloud.browserstack.com/wd/hub");
    public static readonly Uri LambdaTestHub = new("https://mobile-hub.lambdatest.com/wd/hub");
    public static Uri SauceLabsHub(string region) => new($"https://ondemand.{region}.saucelabs.com:443/wd/hub");
    /// <summary>AWS Device Farm runs the tests on its own macOS host, next to an Appium server it starts there.</summary>
    /// <summary>The device name a cabled device is asked for with (the udid picks it; XCUITest needs some name).</summary>
    public const string CabledDeviceName = "iPhone";

    public static readonly Uri AwsDeviceFarmHub = new("http://127.0.0.1:4723/wd/hub");

    public static DeviceTarget Simulator(Uri appium, string deviceName, string platformVersion, string app, string? bundleId = null, string? udid = null)
    {
        var options = Xcuitest(deviceName, platformVersion, app, udid);
        return new DeviceTarget($"xcuitest simulator {deviceName} iOS {platformVersion}", appium, options, bundleId, []);
    }

    /// <summary>A cabled device: the udid is required (Appium picks no device on its own), and so is WebDriverAgent signing, given by team id.</summary>
    public static DeviceTarget RealDevice(Uri appium, string udid, string platformVersion, string app, string? bundleId = null, string? xcodeOrgId = null)
    {
        var options = Xcuitest(CabledDeviceName, platformVersion, app, udid);
        if (xcodeOrgId is not null)
        {
            options.AddAppiumOption("xcodeOrgId", xcodeOrgId);
            options.AddAppiumOption("xcodeSigningId", "Apple Development");
        }
        return new DeviceTarget($"xcuitest device {udid}", appium, options, bundleId, []);
    }

    public static DeviceTarget BrowserStack(FarmApp app, Func<string, string?>? environment = null, Uri? hub = null)
    {
        var (user, key) = Credentials("BrowserStack", environment, BrowserStackUser, BrowserStackKey);
        var options = new AppiumOptions { PlatformName = "iOS", AutomationName = "XCUITest", App = app.App };
        var block = new Dictionary<string, object>
        {
            ["userName"] = user, ["accessKey"] = key, ["deviceName"] = app.DeviceName, ["osVersion"] = app.PlatformVersion,
            ["projectName"] = "MstgTests", ["buildName"] = app.Build, ["sessionName"] = app.SessionName,
            // The proxy presents its own certificates by design; without this the farm's network layer would refuse them.
            ["acceptInsecureCerts"] = true,
        };
        if (app.Tunnel is not null) { block["local"] = true; block["localIdentifier"] = app.Tunnel; }
        options.AddAppiumOption("bstack:options", block);
        return new DeviceTarget($"BrowserStack {app.DeviceName} iOS {app.PlatformVersion}", hub ?? BrowserStackHub, options, app.BundleId, [BrowserStackUser, BrowserStackKey]) { Secrets = [key] };
    }

    public static DeviceTarget SauceLabs(FarmApp app, Func<string, string?>? environment = null, Uri? hub = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        var (user, key) = Credentials("Sauce Labs", env, SauceUser, SauceKey);
        var options = new AppiumOptions
        {
            PlatformName = "iOS", AutomationName = "XCUITest", DeviceName = app.DeviceName, PlatformVersion = app.PlatformVersion, App = app.App,
        };
        var block = new Dictionary<string, object>
        {
            ["username"] = user, ["accessKey"] = key, ["appiumVersion"] = "latest", ["build"] = app.Build, ["name"] = app.SessionName,
        };
        if (app.Tunnel is not null) block["tunnelName"] = app.Tunnel;
        options.AddAppiumOption("sauce:options", block);
        var region = env(SauceRegion) is { Length: > 0 } r ? r : "us-west-1";
        return new DeviceTarget($"Sauce Labs {app.DeviceName} iOS {app.PlatformVersion}", hub ?? SauceLabsHub(region), options, app.BundleId, [SauceUser, SauceKey]) { Secrets = [key] };
    }

    /// <summary>LambdaTest documents every capability, platform and app included, inside lt:options.</summary>
    public static DeviceTarget LambdaTest(FarmApp app, Func<string, string?>? environment = null, Uri? hub = null)
    {
        var (user, key) = Credentials("LambdaTest", environment, LambdaTestUser, LambdaTestKey);
        var options = new AppiumOptions();
        var block = new Dictionary<string, object>
        {
            ["user"] = user, ["accessKey"] = key, ["platformName"] = "iOS", ["deviceName"] = app.DeviceName, ["platformVersion"] = app.PlatformVersion,
            ["isRealMobile"] = true, ["app"] = app.App, ["build"] = app.Build, ["name"] = app.SessionName, ["network"] = true,
        };
        if (app.Tunnel is not null) { block["tunnel"] = true; block["tunnelName"] = app.Tunnel; }
        options.AddAppiumOption("lt:options", block);
        return new DeviceTarget($"LambdaTest {app.DeviceName} iOS {app.PlatformVersion}", hub ?? LambdaTestHub, options, app.BundleId, [LambdaTestUser, LambdaTestKey]) { Secrets = [key] };
    }

    /// <summary>
    /// AWS Device Farm, server-side: the test spec runs the suites on Device Farm's Mac, which sets DEVICEFARM_DEVICE_UDID,
    /// DEVICEFARM_DEVICE_NAME, DEVICEFARM_DEVICE_OS_VERSION, DEVICEFARM_APP_PATH and starts Appium on that host.
    /// No credential travels: the AWS account is the test spec's owner.
    /// </summary>
    public static DeviceTarget AwsDeviceFarm(string? bundleId = null, Func<string, string?>? environment = null, Uri? hub = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        string Need(string name) => env(name) is { Length: > 0 } v ? v
            : throw new DeviceEnvironmentException("AWS Device Farm", "the variable Device Farm sets on its host is missing; run inside a Device Farm test spec", name);
        var udid = Need("DEVICEFARM_DEVICE_UDID");
        var options = Xcuitest(Need("DEVICEFARM_DEVICE_NAME"), Need("DEVICEFARM_DEVICE_OS_VERSION"), Need("DEVICEFARM_APP_PATH"), udid);
        return new DeviceTarget($"AWS Device Farm {udid}", hub ?? AwsDeviceFarmHub, options, bundleId, []);
    }

    private static AppiumOptions Xcuitest(string deviceName, string platformVersion, string app, string? udid) => new()
    {
        PlatformName = "iOS", AutomationName = "XCUITest", DeviceName = deviceName, PlatformVersion = platformVersion, Udid = udid, App = app,
        NewCommandTimeoutSeconds = 120,
    };

    private static (string User, string Key) Credentials(string farm, Func<string, string?>? environment, string userVariable, string keyVariable)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        var user = env(userVariable);
        var key = env(keyVariable);
        if (string.IsNullOrEmpty(user)) throw new DeviceEnvironmentException(farm, "the credential variable is not set", userVariable);
        if (string.IsNullOrEmpty(key)) throw new DeviceEnvironmentException(farm, "the credential variable is not set", keyVariable);
        return (user, key);
    }
}
