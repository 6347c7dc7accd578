using Mstg.Fixtures.Packaging;

namespace Mstg.Bundles.Tests.Support;

/// <summary>Packages shared by several test classes.</summary>
public static class Packages
{
    public const string Main = "Payload/Shop.app";
    public static readonly string Share = IpaBuilder.ExtensionPath(Main, "Share");
    public static readonly string Widget = IpaBuilder.ExtensionPath(Main, "Widget");
    public static readonly string Core = IpaBuilder.FrameworkPath(Main, "Core");
    public static readonly string ShareKit = IpaBuilder.FrameworkPath(Share, "ShareKit");
    public static readonly string Watch = IpaBuilder.WatchAppPath(Main, "ShopWatch");
    public static readonly string WatchExtension = IpaBuilder.ExtensionPath(Watch, "ShopWatch Extension");
    public static readonly string WatchKit = IpaBuilder.FrameworkPath(Watch, "WatchKitSupport");

    /// <summary>An app with every kind of nested bundle, plus a resource and a file outside any bundle.</summary>
    public static IpaBuilder Full(bool binaryPlists = false)
    {
        var builder = new IpaBuilder()
            .AddApp("Shop", binaryPlist: binaryPlists)
            .AddText($"{Main}/Base.lproj/Main.storyboardc", "storyboard")
            .AddBundle(Share, binaryPlist: binaryPlists, packageType: "XPC!")
            .AddText($"{Share}/icon.png", "png")
            .AddBundle(Widget, binaryPlist: binaryPlists, packageType: "XPC!")
            .AddBundle(Core, binaryPlist: binaryPlists, packageType: "FMWK")
            .AddBundle(ShareKit, binaryPlist: binaryPlists, packageType: "FMWK")
            .AddBundle(Watch, binaryPlist: binaryPlists)
            .AddBundle(WatchExtension, binaryPlist: binaryPlists, packageType: "XPC!")
            .AddBundle(WatchKit, binaryPlist: binaryPlists, packageType: "FMWK")
            .AddText("iTunesMetadata.plist", "not part of a bundle");
        return builder;
    }
}
