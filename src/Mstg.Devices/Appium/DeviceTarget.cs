namespace Mstg.Devices.Appium;

/// <summary>
/// Where and how to open an Appium session: the hub, the W3C capabilities, the app's bundle id (for launch and
/// terminate), and the credential variables a farm needs (named in errors). <see cref="Secrets"/> are the values read
/// from those variables, kept only to scrub them from messages; <see cref="ToString"/> never shows them or the options.
/// </summary>
public sealed record DeviceTarget(string Name, Uri Hub, AppiumOptions Options, string? BundleId, IReadOnlyList<string> CredentialVariables)
{
    internal IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>The farms' vendor blocks, where they want the device name and OS version instead of the appium: ones.</summary>
    private static readonly string[] VendorBlocks = ["bstack:options", "sauce:options", "lt:options"];

    /// <summary>
    /// The device as a report names it (one <c>dotnet test</c> per device, results merged): the device name the session
    /// asks for, the udid when one is pinned, and the iOS version, read from the capabilities the session sends, e.g.
    /// <c>iPhone 15 (iOS 17.4)</c>. No secret is part of it.
    /// </summary>
    public string Device
    {
        get
        {
            var capabilities = Options.ToCapabilities();
            string? Find(params string[] names)
            {
                foreach (var name in names)
                {
                    if (capabilities.HasCapability(AppiumOptions.PrefixedName(name)) && capabilities.GetCapability(AppiumOptions.PrefixedName(name)) is { } top)
                        return top.ToString();
                    foreach (var block in VendorBlocks)
                        if (capabilities.HasCapability(block) && capabilities.GetCapability(block) is IDictionary<string, object> values && values.TryGetValue(name, out var inner))
                            return inner?.ToString();
                }
                return null;
            }
            var device = Find("deviceName") ?? "iOS device";
            // A cabled device is asked for by udid (its device name is the placeholder "iPhone"): the udid is what names it.
            // A simulator's udid is not added: a CI job may create a fresh one per run, and the name keys the history.
            if (device == DeviceProfiles.CabledDeviceName && Find("udid") is { Length: > 0 } udid) device += " " + udid;
            return Find("platformVersion", "osVersion") is { Length: > 0 } version ? $"{device} (iOS {version})" : device;
        }
    }

    public override string ToString() => $"{Name} at {Hub.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)}";
}
