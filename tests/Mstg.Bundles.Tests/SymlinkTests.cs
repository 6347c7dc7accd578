using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Packaging;

namespace Mstg.Bundles.Tests;

/// <summary>Symlinks are recorded, resolved only to files of the same package, never followed outside it.</summary>
public sealed class SymlinkTests : IDisposable
{
    private const string App = "Payload/Shop.app";
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    private static IpaBuilder LinkedApp(string executableLinkTarget) => new IpaBuilder()
        .AddBundle(App, executable: null, infoPlistXml: PlistXml.InfoPlist("Shop", "org.example.shop"))
        .AddFile($"{App}/Binaries/Shop-real", [0xCF, 0xFA, 0xED, 0xFE, 42])
        .AddSymlink($"{App}/Shop", executableLinkTarget)
        .AddSymlink($"{App}/passwd", "/etc/passwd")
        .AddSymlink($"{App}/escape", "../../../../etc/hostname")
        .AddSymlink($"{App}/Current", "Binaries");

    private static byte[] Read(AppPackage package, string path)
    {
        using var stream = package.Files.Open(package.Files.Files.Single(f => f.Path == path));
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    public static TheoryData<bool> Layouts => new() { true, false };

    private AppPackage Open(IpaBuilder builder, bool zip)
    {
        if (zip) return AppPackageReader.Open(builder.WriteIpa(_temp.File("l.ipa")));
        builder.WriteFolder(_temp.File("folder"));
        return AppPackageReader.Open(_temp.File("folder"));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Symlinks_are_recorded_with_their_target(bool zip)
    {
        using var package = Open(LinkedApp("Binaries/Shop-real"), zip);
        var links = package.Files.Files.Where(f => f.IsSymlink).ToDictionary(f => f.Name, f => f.SymlinkTarget);
        links.Should().BeEquivalentTo(new Dictionary<string, string?>
        {
            ["Shop"] = "Binaries/Shop-real",
            ["passwd"] = "/etc/passwd",
            ["escape"] = "../../../../etc/hostname",
            ["Current"] = "Binaries",
        });
        package.Files.Files.Single(f => f.Name == "Shop-real").IsSymlink.Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Executable_symlink_inside_the_package_resolves_to_the_real_file(bool zip)
    {
        using var package = Open(LinkedApp("Binaries/Shop-real"), zip);
        package.Main.Executable!.Path.Should().Be($"{App}/Binaries/Shop-real");
        package.Main.Executable.IsSymlink.Should().BeFalse();
        Read(package, $"{App}/Shop").Should().Equal(0xCF, 0xFA, 0xED, 0xFE, 42);
        package.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Folder_link_in_the_middle_of_a_path_is_followed_inside_the_package()
    {
        var resolver = new Paths.SymlinkResolver(new Dictionary<string, BundleFile>
        {
            ["A/Versions/A/Lib"] = new("A/Versions/A/Lib", 3),
            ["A/Versions/Current"] = new("A/Versions/Current", 1, true, "A"),
            ["A/Lib"] = new("A/Lib", 1, true, "Versions/Current/Lib"),
            ["A/Loop"] = new("A/Loop", 1, true, "Loop"),
        });
        resolver.Resolve("A/Lib", out _)!.Path.Should().Be("A/Versions/A/Lib");
        resolver.Resolve("A/Loop", out var loop).Should().BeNull();
        loop.Should().Contain("loop");
        resolver.Resolve("A/Missing", out var missing).Should().BeNull();
        missing.Should().Contain("not in the package");
    }

    [Theory]
    [InlineData("/usr/bin/true", true)]
    [InlineData("../../../../../usr/bin/true", true)]
    [InlineData("../../../iTunesMetadata.plist", true)]
    [InlineData("/usr/bin/true", false)]
    [InlineData("../../../../../../../../usr/bin/true", false)]
    public void Executable_symlink_leaving_the_package_is_not_followed(string target, bool zip)
    {
        using var package = Open(LinkedApp(target), zip);

        package.Main.Executable.Should().BeNull();
        package.Problems.Should().Contain(p => p.Place == $"entry {App}/Shop" && p.Problem.Contains("symlink not followed"));
        var read = () => Read(package, $"{App}/Shop");
        read.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("not followed");
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Reading_a_link_to_outside_the_package_is_refused(bool zip)
    {
        using var package = Open(LinkedApp("Binaries/Shop-real"), zip);
        foreach (var name in new[] { "passwd", "escape" })
        {
            var read = () => Read(package, $"{App}/{name}");
            read.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("outside the package");
        }
    }

    [Fact]
    public void Folder_symlink_to_outside_is_reported_not_descended()
    {
        var outside = _temp.File("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        new IpaBuilder().AddApp("Shop").AddSymlink($"{App}/Linked", outside).WriteFolder(_temp.File("folder"));

        using var package = AppPackageReader.Open(_temp.File("folder"));

        package.Files.Files.Should().NotContain(f => f.Path.Contains("secret"));
        package.Files.Files.Single(f => f.Path == $"{App}/Linked").Should().Match<BundleFile>(f => f.IsSymlink && f.SymlinkTarget == outside);
    }
}
