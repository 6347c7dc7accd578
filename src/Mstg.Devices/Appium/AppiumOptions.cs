using OpenQA.Selenium;

namespace Mstg.Devices.Appium;

/// <summary>
/// The W3C capabilities of an Appium session, built in code: the thin counterpart of Appium.WebDriver's AppiumOptions,
/// which the package feed does not serve. Appium-specific names get the <c>appium:</c> prefix (the W3C rule for
/// extension capabilities); names that already carry a vendor prefix (<c>bstack:options</c>, <c>sauce:options</c>,
/// <c>lt:options</c>, <c>goog:chromeOptions</c>) are sent as they are. Standard names (browserName, platformName …)
/// go through Selenium's typed properties, which refuse them as additional options.
/// </summary>
public sealed class AppiumOptions : DriverOptions
{
    /// <summary>Selenium keeps this setter for browser-specific option classes; Appium sessions on a browser need it too.</summary>
    public new string? BrowserName { get => base.BrowserName; set => base.BrowserName = value; }

    public string? AutomationName { set => Set("automationName", value); }
    public string? DeviceName { set => Set("deviceName", value); }
    public string? PlatformVersion { set => Set("platformVersion", value); }
    public string? Udid { set => Set("udid", value); }
    /// <summary>A path or URL of the .ipa/.app, or a farm's upload id (bs://…, storage:filename=…, lt://…).</summary>
    public string? App { set => Set("app", value); }
    public string? BundleId { set => Set("bundleId", value); }
    public int? NewCommandTimeoutSeconds { set => Set("newCommandTimeout", value); }

    /// <summary>Adds <paramref name="name"/> with the <c>appium:</c> prefix unless it already has a vendor prefix.</summary>
    public AppiumOptions AddAppiumOption(string name, object value)
    {
        AddAdditionalOption(PrefixedName(name), value);
        return this;
    }

    /// <summary>The name as it goes on the wire: vendor-prefixed names unchanged, others under <c>appium:</c>.</summary>
    public static string PrefixedName(string name) => name.Contains(':', StringComparison.Ordinal) ? name : "appium:" + name;

    private void Set(string name, object? value)
    {
        if (value is not null) AddAppiumOption(name, value);
    }

    public override ICapabilities ToCapabilities() => GenerateDesiredCapabilities(true).AsReadOnly();
}
