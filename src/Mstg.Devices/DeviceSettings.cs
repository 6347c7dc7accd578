using Mstg.Devices.Appium;
using Mstg.Devices.Chromium;
using Mstg.Devices.CommandLine;

namespace Mstg.Devices;

/// <summary>Which driver a run uses (MSTG_DRIVER); the runsettings profiles in runsettings/ set one each.</summary>
public enum DriverKind { Chromium, Simulator, Device, BrowserStack, SauceLabs, LambdaTest, AwsDeviceFarm, Process }

/// <summary>
/// The device side of a run, read from environment variables (set by a runsettings profile, secrets by the CI's secret
/// store): docs/devices.md lists every variable. A wrong or missing setting is a <see cref="DeviceEnvironmentException"/>
/// naming the variable.
/// </summary>
public sealed record DeviceSettings(DriverKind Kind, Func<string, string?> Environment)
{
    public static readonly IReadOnlyDictionary<string, DriverKind> DriverNames = new Dictionary<string, DriverKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["chromium"] = DriverKind.Chromium, ["simulator"] = DriverKind.Simulator, ["device"] = DriverKind.Device,
        ["browserstack"] = DriverKind.BrowserStack, ["saucelabs"] = DriverKind.SauceLabs, ["lambdatest"] = DriverKind.LambdaTest,
        ["aws-devicefarm"] = DriverKind.AwsDeviceFarm, ["process"] = DriverKind.Process,
    };

    /// <summary>Every variable a profile may set; secrets (the farms' keys) are not among them and never go in a file.</summary>
    public static readonly IReadOnlyList<string> Variables =
    [
        "MSTG_DRIVER", "MSTG_APPIUM_URL", "MSTG_DEVICE_NAME", "MSTG_PLATFORM_VERSION", "MSTG_UDID", "MSTG_APP_PATH", "MSTG_BUNDLE_ID",
        "MSTG_XCODE_ORG_ID", "MSTG_FARM_BUILD", "MSTG_FARM_TUNNEL", "MSTG_APP_URL", "MSTG_APP_COMMAND", DeviceProfiles.SauceRegion,
    ];

    public static DeviceSettings FromEnvironment(Func<string, string?>? environment = null)
    {
        var env = environment ?? System.Environment.GetEnvironmentVariable;
        var name = env("MSTG_DRIVER");
        if (string.IsNullOrEmpty(name)) return new DeviceSettings(DriverKind.Chromium, env);
        return DriverNames.TryGetValue(name, out var kind)
            ? new DeviceSettings(kind, env)
            : throw new DeviceEnvironmentException("MSTG_DRIVER", $"unknown driver \"{name}\" (expected {string.Join(", ", DriverNames.Keys)})", "MSTG_DRIVER");
    }

    public bool IsXcuitest => Kind is not (DriverKind.Chromium or DriverKind.Process);

    /// <summary>The Appium session target for the XCUITest kinds.</summary>
    public DeviceTarget XcuitestTarget()
    {
        var bundleId = Optional("MSTG_BUNDLE_ID");
        return Kind switch
        {
            DriverKind.Simulator => DeviceProfiles.Simulator(AppiumUrl(), Required("MSTG_DEVICE_NAME"), Required("MSTG_PLATFORM_VERSION"), Required("MSTG_APP_PATH"), bundleId, Optional("MSTG_UDID")),
            DriverKind.Device => DeviceProfiles.RealDevice(AppiumUrl(), Required("MSTG_UDID"), Required("MSTG_PLATFORM_VERSION"), Required("MSTG_APP_PATH"), bundleId, Optional("MSTG_XCODE_ORG_ID")),
            DriverKind.BrowserStack => DeviceProfiles.BrowserStack(Farm(bundleId), Environment, HubOverride()),
            DriverKind.SauceLabs => DeviceProfiles.SauceLabs(Farm(bundleId), Environment, HubOverride()),
            DriverKind.LambdaTest => DeviceProfiles.LambdaTest(Farm(bundleId), Environment, HubOverride()),
            DriverKind.AwsDeviceFarm => DeviceProfiles.AwsDeviceFarm(bundleId, Environment, HubOverride()),
            _ => throw new InvalidOperationException($"{Kind} is not an XCUITest driver"),
        };
    }

    /// <summary>Builds the driver. <paramref name="appium"/> is the local server the fixture started (Chromium); <paramref name="proxy"/> the run's proxy.</summary>
    public IAppDriver CreateDriver(Uri? appium, Uri? proxy, IReadOnlyList<string>? referenceRoots = null) => Kind switch
    {
        DriverKind.Chromium => new AppiumChromiumDriver(HubOverride() ?? appium ?? throw new DeviceEnvironmentException("Chromium", "no Appium server", "MSTG_APPIUM_URL"),
            new ChromiumAppSettings(new Uri(Required("MSTG_APP_URL"))) { Proxy = proxy, TrustedRoots = referenceRoots ?? [] }),
        DriverKind.Process => new ProcessAppDriver(new ProcessAppSettings(ProcessAppSettings.SplitTemplate(Required("MSTG_APP_COMMAND")), new Uri(Required("MSTG_APP_URL")), proxy)),
        _ => new AppiumXcuitestDriver(XcuitestTarget()),
    };

    private FarmApp Farm(string? bundleId) => new(Required("MSTG_DEVICE_NAME"), Required("MSTG_PLATFORM_VERSION"), Required("MSTG_APP_PATH"), bundleId,
        Optional("MSTG_FARM_BUILD") ?? "mstg-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmm", System.Globalization.CultureInfo.InvariantCulture),
        "MstgTests " + DateTime.UtcNow.ToString("u", System.Globalization.CultureInfo.InvariantCulture), Optional("MSTG_FARM_TUNNEL"));

    private Uri AppiumUrl() => HubOverride() ?? throw new DeviceEnvironmentException(Kind.ToString(), "the Appium server on the Mac is not given", "MSTG_APPIUM_URL");

    private Uri? HubOverride() => Optional("MSTG_APPIUM_URL") is { } url
        ? Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : throw new DeviceEnvironmentException(Kind.ToString(), $"\"{url}\" is not an absolute URL", "MSTG_APPIUM_URL")
        : null;

    private string? Optional(string name) => Environment(name) is { Length: > 0 } v ? v : null;
    private string Required(string name) => Optional(name) ?? throw new DeviceEnvironmentException(Kind.ToString(), "a required setting is missing", name);
}
