using System.Globalization;
using System.Text.RegularExpressions;
using Mstg.MachO;
using Mstg.Plist;

namespace Mstg.Analysis.Rules;

public enum TargetPlatform { iOS, MacOS }

/// <summary>
/// Which OS a bundle targets, its minimum (deployment target) and the SDK it was built with, as far as the ATS
/// rules need them. The Mach-O build version, when the scanner has one, overrides the plist: it is what the
/// linker wrote, while a plist in a source tree may still hold <c>$(IPHONEOS_DEPLOYMENT_TARGET)</c>.
/// </summary>
public sealed partial record BundleTarget
{
    public required TargetPlatform Platform { get; init; }

    /// <summary>Deployment target, or null when unknown (key absent or an unresolved build variable).</summary>
    public Version? MinimumOs { get; init; }

    /// <summary>Where <see cref="MinimumOs"/> came from, or the raw text that could not be read.</summary>
    public string MinimumOsSource { get; init; } = "no deployment target found";

    /// <summary>Info.plist key path of the minimum-OS value when it holds an unresolved build variable.</summary>
    public string? UnresolvedMinimumOsKey { get; init; }
    public string? UnresolvedMinimumOsValue { get; init; }

    public Version? Sdk { get; init; }
    public string SdkSource { get; init; } = "unknown";

    /// <summary>The Info.plist key the SDK was read from, or null when it came from the Mach-O load command.</summary>
    public string? SdkPlistKey { get; init; }

    /// <summary>The Mach-O load command the SDK was read from, or null when it came from the plist.</summary>
    public string? SdkLoadCommand { get; init; }

    /// <summary>First OS release where ATS exists (iOS 9 / OS X 10.11).</summary>
    public Version AtsIntroduced => Platform == TargetPlatform.MacOS ? new(10, 11) : new(9, 0);

    /// <summary>First OS release with the finer keys that override NSAllowsArbitraryLoads (iOS 10 / macOS 10.12).</summary>
    public Version FinerKeysIntroduced => Platform == TargetPlatform.MacOS ? new(10, 12) : new(10, 0);

    public string OsName => Platform == TargetPlatform.MacOS ? "macOS" : "iOS";

    public static BundleTarget Read(PlistDict info, BuildVersion? build = null)
    {
        var platform = DetectPlatform(info, build);
        Version? minimum = null;
        var minimumKey = platform == TargetPlatform.MacOS ? "LSMinimumSystemVersion" : "MinimumOSVersion";
        var minimumSource = $"no {minimumKey} in Info.plist and no binary";
        string? unresolvedKey = null, unresolvedValue = null;

        if (build is not null && build.MinOs.Major > 0)
        {
            minimum = build.MinOs;
            minimumSource = $"Mach-O {build.LoadCommand} minos {build.MinOs}";
        }
        else
        {
            var key = minimumKey;
            if (info[key] is PlistString s)
            {
                if (TryParseVersion(s.Value, out var v)) { minimum = v; minimumSource = $"Info.plist {key} = \"{s.Value}\""; }
                else
                {
                    minimumSource = $"Info.plist {key} = \"{s.Value}\" (not a version)";
                    if (PlistValues.HasBuildVariable(s.Value)) (unresolvedKey, unresolvedValue) = (key, s.Value);
                }
            }
        }

        Version? sdk = null;
        var sdkSource = "unknown";
        string? sdkKey = null, sdkCommand = null;
        if (build is not null && build.Sdk.Major > 0)
        {
            sdk = build.Sdk;
            sdkSource = $"Mach-O {build.LoadCommand} sdk {build.Sdk}";
            sdkCommand = build.LoadCommand;
        }
        else if (info["DTSDKName"] is PlistString sdkName && SdkName().Match(sdkName.Value) is { Success: true } m
                 && TryParseVersion(m.Groups[2].Value, out var fromName))
        {
            sdk = fromName;
            sdkSource = $"Info.plist DTSDKName = \"{sdkName.Value}\"";
            sdkKey = "DTSDKName";
        }
        else if (info["DTPlatformVersion"] is PlistString pv && TryParseVersion(pv.Value, out var fromPlatform))
        {
            sdk = fromPlatform;
            sdkSource = $"Info.plist DTPlatformVersion = \"{pv.Value}\"";
            sdkKey = "DTPlatformVersion";
        }

        return new BundleTarget
        {
            Platform = platform, MinimumOs = minimum, MinimumOsSource = minimumSource,
            UnresolvedMinimumOsKey = unresolvedKey, UnresolvedMinimumOsValue = unresolvedValue,
            Sdk = sdk, SdkSource = sdkSource, SdkPlistKey = sdkKey, SdkLoadCommand = sdkCommand,
        };
    }

    /// <summary>
    /// macOS when the binary says so, or the plist names a macOS SDK/platform, or it carries LSMinimumSystemVersion
    /// without any iOS-only key (Expo's iOS template has a stray LSMinimumSystemVersion next to LSRequiresIPhoneOS).
    /// </summary>
    private static TargetPlatform DetectPlatform(PlistDict info, BuildVersion? build)
    {
        if (build is not null)
            return build.Platform == MachOPlatform.MacOS ? TargetPlatform.MacOS : TargetPlatform.iOS;
        if (info["DTPlatformName"] is PlistString p) return p.Value.StartsWith("macosx", StringComparison.Ordinal) ? TargetPlatform.MacOS : TargetPlatform.iOS;
        if (info["DTSDKName"] is PlistString n) return n.Value.StartsWith("macosx", StringComparison.Ordinal) ? TargetPlatform.MacOS : TargetPlatform.iOS;
        var iosOnly = info.Keys.Any(k => k is "LSRequiresIPhoneOS" or "MinimumOSVersion" or "UIDeviceFamily" or "UIRequiredDeviceCapabilities"
                                         or "UILaunchStoryboardName" or "UISupportedInterfaceOrientations" or "UIApplicationSceneManifest");
        return !iosOnly && info["LSMinimumSystemVersion"] is not null ? TargetPlatform.MacOS : TargetPlatform.iOS;
    }

    public static bool TryParseVersion(string text, out Version version)
    {
        text = text.Trim();
        if (Version.TryParse(text, out var v)) { version = v; return true; }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var major)) { version = new Version(major, 0); return true; }
        version = new Version(0, 0);
        return false;
    }

    [GeneratedRegex(@"^([a-z]+)(\d+(\.\d+)*)")]
    private static partial Regex SdkName();
}
