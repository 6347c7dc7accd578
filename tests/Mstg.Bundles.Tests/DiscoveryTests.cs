using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Packaging;
using Mstg.Plist;
using static Mstg.Bundles.Tests.Support.Packages;

namespace Mstg.Bundles.Tests;

public sealed class DiscoveryTests : IDisposable
{
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ipa_every_bundle_kind_is_found_depth_first_with_its_executable(bool binaryPlists)
    {
        using var package = AppPackageReader.Open(Full(binaryPlists).WriteIpa(_temp.File("shop.ipa")));

        package.Bundles.Select(b => (b.Kind, b.Path)).Should().Equal(
            (BundleKind.App, Main),
            (BundleKind.AppExtension, Share),
            (BundleKind.Framework, ShareKit),
            (BundleKind.AppExtension, Widget),
            (BundleKind.Framework, Core),
            (BundleKind.WatchApp, Watch),
            (BundleKind.WatchExtension, WatchExtension),
            (BundleKind.Framework, WatchKit));
        package.Problems.Should().BeEmpty();
        foreach (var bundle in package.Bundles)
        {
            bundle.Executable!.Path.Should().Be($"{bundle.Path}/{bundle.Name}");
            bundle.InfoPlistPath.Should().Be($"{bundle.Path}/Info.plist");
            bundle.InfoPlist!.Format.Should().Be(binaryPlists ? PlistFormat.Binary : PlistFormat.Xml);
            bundle.Info!["CFBundleExecutable"].Should().BeOfType<PlistString>().Which.Value.Should().Be(bundle.Name);
        }
        package.Main.Name.Should().Be("Shop");
        package.Bundles.Single(b => b.Path == ShareKit).Parent!.Path.Should().Be(Share);
        package.Bundles.Single(b => b.Path == WatchExtension).Parent!.Path.Should().Be(Watch);
    }

    [Fact]
    public void Each_bundle_owns_only_its_own_files()
    {
        using var package = AppPackageReader.Open(Full().WriteIpa(_temp.File("shop.ipa")));

        package.Main.Files.Select(f => f.Path).Should().BeEquivalentTo(
            $"{Main}/Info.plist", $"{Main}/Shop", $"{Main}/Base.lproj/Main.storyboardc");
        package.Bundles.Single(b => b.Path == Share).Files.Select(f => f.Path).Should().BeEquivalentTo(
            $"{Share}/Info.plist", $"{Share}/Share", $"{Share}/icon.png");
        package.Bundles.SelectMany(b => b.Files).Should().OnlyHaveUniqueItems();
        package.Bundles.SelectMany(b => b.Files).Should().HaveCount(package.Files.Files.Count - 1, "only iTunesMetadata.plist is outside every bundle");
        package.Files.Files.Should().Contain(f => f.Path == "iTunesMetadata.plist");
    }

    [Fact]
    public void Files_read_back_through_the_source()
    {
        using var package = AppPackageReader.Open(Full().WriteIpa(_temp.File("shop.ipa")));
        using var stream = package.Files.Open(package.Main.Executable!);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        memory.ToArray().Should().Equal(IpaBuilder.PlaceholderExecutable("Shop"));
    }

    [Fact]
    public void Zip_is_recognised_by_magic_whatever_the_extension()
    {
        using var package = AppPackageReader.Open(Full().WriteIpa(_temp.File("shop.bin")));
        package.Main.Path.Should().Be(Main);
    }

    [Fact]
    public void Unpacked_app_folder_gives_paths_starting_with_the_app_folder()
    {
        Full().WriteFolder(_temp.Path);
        using var package = AppPackageReader.Open(Path.Combine(_temp.Path, "Payload", "Shop.app"));

        package.Bundles.Select(b => (b.Kind, b.Path)).Should().Equal(
            (BundleKind.App, "Shop.app"),
            (BundleKind.AppExtension, "Shop.app/PlugIns/Share.appex"),
            (BundleKind.Framework, "Shop.app/PlugIns/Share.appex/Frameworks/ShareKit.framework"),
            (BundleKind.AppExtension, "Shop.app/PlugIns/Widget.appex"),
            (BundleKind.Framework, "Shop.app/Frameworks/Core.framework"),
            (BundleKind.WatchApp, "Shop.app/Watch/ShopWatch.app"),
            (BundleKind.WatchExtension, "Shop.app/Watch/ShopWatch.app/PlugIns/ShopWatch Extension.appex"),
            (BundleKind.Framework, "Shop.app/Watch/ShopWatch.app/Frameworks/WatchKitSupport.framework"));
        package.Main.Executable!.Path.Should().Be("Shop.app/Shop");
        package.Main.Info!["CFBundleIdentifier"].Should().BeOfType<PlistString>().Which.Value.Should().Be("org.mstg.test.Shop");
        package.Files.Files.Should().NotContain(f => f.Path.StartsWith("iTunes"), "only the .app is enumerated");
    }

    [Fact]
    public void Folder_holding_payload_gives_the_same_paths_as_the_ipa()
    {
        var ipa = Full().WriteIpa(_temp.File("shop.ipa"));
        Full().WriteFolder(_temp.File("unzipped"));
        using var fromZip = AppPackageReader.Open(ipa);
        using var fromFolder = AppPackageReader.Open(_temp.File("unzipped"));

        fromFolder.Bundles.Select(b => (b.Kind, b.Path, b.Executable?.Path)).Should().Equal(
            fromZip.Bundles.Select(b => (b.Kind, b.Path, b.Executable?.Path)));
        fromFolder.Files.Files.Select(f => (f.Path, f.Size)).Should().BeEquivalentTo(fromZip.Files.Files.Select(f => (f.Path, f.Size)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lone_info_plist_is_one_plist_only_bundle_without_files(bool binary)
    {
        var xml = PlistXml.InfoPlist("Shop", "org.example.shop", extraDictBody: "<key>NSAppTransportSecurity</key><dict/>");
        var path = _temp.File("Info.plist");
        File.WriteAllBytes(path, binary ? PlistXml.ToBinary(xml) : System.Text.Encoding.UTF8.GetBytes(xml));

        using var package = AppPackageReader.Open(path);

        package.Bundles.Should().ContainSingle();
        package.Main.Kind.Should().Be(BundleKind.PlistOnly);
        package.Main.Files.Should().BeEmpty();
        package.Main.Executable.Should().BeNull();
        package.Main.InfoPlist!.Format.Should().Be(binary ? PlistFormat.Binary : PlistFormat.Xml);
        package.Main.Info!["NSAppTransportSecurity"].Should().BeOfType<PlistDict>();
    }

    [Fact]
    public void Lone_file_that_is_no_plist_is_a_typed_error()
    {
        var path = _temp.File("Info.plist");
        File.WriteAllText(path, "<plist><dict><key>a</key>");
        var open = () => AppPackageReader.Open(path);
        open.Should().Throw<BundleFormatException>().Which.Message.Should().Contain(path).And.Contain("malformed");
    }

    [Fact]
    public void Missing_path_is_a_typed_error()
    {
        var open = () => AppPackageReader.Open(_temp.File("nothing-here.ipa"));
        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("no such file");
    }

    [Fact]
    public void Executable_falls_back_to_the_file_named_like_the_bundle()
    {
        var ipa = new IpaBuilder()
            .AddBundle(IpaBuilder.AppPath("Shop"), infoPlistXml: PlistXml.InfoPlist(executable: null, "org.example.shop"))
            .AddFile("Payload/Shop.app/Shop", [1, 2, 3])
            .AddBundle(Widget, infoPlistXml: PlistXml.InfoPlist("Missing", "org.example.widget"))
            .AddFile($"{Widget}/Widget", [4])
            .AddBundle(Core, infoPlistXml: PlistXml.InfoPlist("Other", "org.example.core"), executable: null)
            .AddFile($"{Core}/Other", [5])
            .WriteIpa(_temp.File("a.ipa"));

        using var package = AppPackageReader.Open(ipa);

        package.Main.Executable!.Path.Should().Be("Payload/Shop.app/Shop");
        package.Bundles.Single(b => b.Path == Widget).Executable!.Path.Should().Be($"{Widget}/Widget");
        package.Bundles.Single(b => b.Path == Core).Executable!.Path.Should().Be($"{Core}/Other", "CFBundleExecutable wins when present");
    }

    [Fact]
    public void Framework_without_executable_has_none_and_that_is_no_problem()
    {
        var ipa = new IpaBuilder().AddApp("Shop").AddBundle(Core, executable: null).WriteIpa(_temp.File("a.ipa"));
        using var package = AppPackageReader.Open(ipa);
        package.Bundles.Single(b => b.Path == Core).Executable.Should().BeNull();
        package.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Main_app_without_executable_is_a_problem()
    {
        var ipa = new IpaBuilder().AddBundle(IpaBuilder.AppPath("Shop"), executable: null,
            infoPlistXml: PlistXml.InfoPlist("Shop", "org.example.shop")).WriteIpa(_temp.File("a.ipa"));
        using var package = AppPackageReader.Open(ipa);
        package.Main.Executable.Should().BeNull();
        package.Problems.Should().ContainSingle().Which.Problem.Should().Contain("no executable");
    }

    [Fact]
    public void Executable_path_escaping_the_bundle_is_not_used()
    {
        var ipa = new IpaBuilder()
            .AddBundle(IpaBuilder.AppPath("Shop"), infoPlistXml: PlistXml.InfoPlist("../../etc/passwd", "x"), executable: null)
            .WriteIpa(_temp.File("a.ipa"));
        using var package = AppPackageReader.Open(ipa);
        package.Main.Executable.Should().BeNull();
        package.Problems.Select(p => p.Problem).Should().Contain(p => p.Contains("CFBundleExecutable"))
            .And.Contain(p => p.Contains("no executable"));
    }

    [Fact]
    public void No_app_in_payload_is_an_error()
    {
        var ipa = new IpaBuilder().AddText("Payload/readme.txt", "x").AddText("Other/App.app/Info.plist", "x").WriteIpa(_temp.File("a.ipa"));
        var open = () => AppPackageReader.Open(ipa);
        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("no Payload/*.app");
    }

    [Fact]
    public void Several_apps_take_the_first_alphabetically_and_record_a_problem()
    {
        var ipa = new IpaBuilder().AddApp("Zeta").AddApp("Alpha").WriteIpa(_temp.File("a.ipa"));
        using var package = AppPackageReader.Open(ipa);
        package.Main.Path.Should().Be("Payload/Alpha.app");
        package.Bundles.Should().ContainSingle();
        package.Problems.Should().ContainSingle().Which.Problem.Should().Contain("Alpha.app").And.Contain("Zeta.app");
    }

    [Fact]
    public void Main_app_without_info_plist_is_an_error()
    {
        var ipa = new IpaBuilder().AddFile("Payload/Shop.app/Shop", [1]).WriteIpa(_temp.File("a.ipa"));
        var open = () => AppPackageReader.Open(ipa);
        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("no Info.plist");
    }

    [Fact]
    public void Main_app_with_malformed_info_plist_is_an_error_naming_the_entry()
    {
        var ipa = new IpaBuilder().AddText("Payload/Shop.app/Info.plist", "<?xml version=\"1.0\"?><plist><dict><key>x</dict>").WriteIpa(_temp.File("a.ipa"));
        var open = () => AppPackageReader.Open(ipa);
        var error = open.Should().Throw<BundleFormatException>().Which;
        error.Source.Should().Be(ipa);
        error.Place.Should().Be("entry Payload/Shop.app/Info.plist");
        error.InnerException.Should().BeOfType<PlistFormatException>();
    }

    [Fact]
    public void Nested_bundle_with_malformed_info_plist_is_a_problem_not_a_failure()
    {
        var ipa = new IpaBuilder().AddApp("Shop")
            .AddBundle(Share, infoPlistXml: "bplist00 garbage")
            .AddBundle(Widget)
            .WriteIpa(_temp.File("a.ipa"));

        using var package = AppPackageReader.Open(ipa);

        var share = package.Bundles.Single(b => b.Path == Share);
        share.InfoPlist.Should().BeNull();
        share.InfoPlistPath.Should().Be($"{Share}/Info.plist");
        share.Executable!.Path.Should().Be($"{Share}/Share", "the fallback still finds the binary");
        package.Bundles.Single(b => b.Path == Widget).InfoPlist.Should().NotBeNull();
        package.Problems.Should().ContainSingle().Which.Place.Should().Be($"entry {Share}/Info.plist");
    }

    [Fact]
    public void Info_plist_over_the_size_limit_is_refused()
    {
        var padding = new string(' ', 5000);
        var ipa = new IpaBuilder().AddApp("Shop", infoPlistXml: PlistXml.InfoPlist("Shop", "x" + padding.Trim(), extraDictBody: $"<!--{padding}-->"))
            .WriteIpa(_temp.File("a.ipa"));
        var open = () => AppPackageReader.Open(ipa, new BundleLimits { MaxPlistSize = 4096 });
        open.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("plist size limit");
        using var fine = AppPackageReader.Open(ipa, new BundleLimits { MaxPlistSize = 8192 });
        fine.Main.InfoPlist.Should().NotBeNull();
    }

    [Fact]
    public void Info_plist_whose_header_understates_its_size_is_still_capped()
    {
        var padding = new string(' ', 5000);
        var ipa = new IpaBuilder().AddApp("Shop", infoPlistXml: PlistXml.InfoPlist("Shop", "x", extraDictBody: $"<!--{padding}-->"))
            .DeclareSize("Payload/Shop.app/Info.plist", 100)
            .WriteIpa(_temp.File("a.ipa"));
        var open = () => AppPackageReader.Open(ipa, new BundleLimits { MaxPlistSize = 4096 });
        open.Should().Throw<BundleFormatException>().Which.Place.Should().Be("entry Payload/Shop.app/Info.plist");
    }
}
