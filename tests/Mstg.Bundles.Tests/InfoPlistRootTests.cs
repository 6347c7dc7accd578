using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Packaging;
using static Mstg.Bundles.Tests.Support.Packages;

namespace Mstg.Bundles.Tests;

/// <summary>
/// iOS refuses to install a bundle whose Info.plist root is not a dictionary. Such a main app is bad input (a typed
/// error naming the entry); such an extension is a problem that makes the scan incomplete, never a silent "no keys".
/// </summary>
public sealed class InfoPlistRootTests : IDisposable
{
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    private static string Wrap(string root) => $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">{root}</plist>\n";

    public static TheoryData<string, string, bool> Roots()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var folder in new[] { false, true })
        {
            data.Add("array", "<array><string>CFBundleExecutable</string><string>Shop</string></array>", folder);
            data.Add("string", "<string>CFBundleExecutable</string>", folder);
            data.Add("empty array", "<array/>", folder);
            data.Add("integer", "<integer>1</integer>", folder);
            data.Add("nothing", "", folder);
        }
        return data;
    }

    private string Write(IpaBuilder builder, bool folder) =>
        folder ? builder.WriteAppFolder(_temp.File("unpacked")) : builder.WriteIpa(_temp.File("app.ipa"));

    [Theory]
    [MemberData(nameof(Roots))]
    public void Main_app_with_a_non_dict_root_is_bad_input_naming_the_entry(string kind, string root, bool folder)
    {
        var path = Write(new IpaBuilder().AddBundle(Main, infoPlistXml: Wrap(root)), folder);
        var open = () => AppPackageReader.Open(path);
        var error = open.Should().Throw<BundleFormatException>(kind).Which;
        error.Place.Should().Be(folder ? "entry Shop.app/Info.plist" : $"entry {Main}/Info.plist");
        error.Problem.Should().ContainAny("not the <dict>", "malformed");
    }

    [Theory]
    [MemberData(nameof(Roots))]
    public void Extension_with_a_non_dict_root_is_a_problem_naming_the_entry(string kind, string root, bool folder)
    {
        var path = Write(new IpaBuilder().AddApp("Shop").AddExtension(Main, "Share", infoPlistXml: Wrap(root)), folder);
        using var package = AppPackageReader.Open(path);
        var share = folder ? "Shop.app/PlugIns/Share.appex" : Share;
        package.Problems.Should().ContainSingle(kind).Which.Place.Should().Be($"entry {share}/Info.plist");
        package.Bundles.Single(b => b.Path == share).InfoPlist.Should().BeNull();
    }

    [Fact]
    public void Empty_file_as_the_main_info_plist_is_bad_input()
    {
        var ipa = new IpaBuilder().AddFile($"{Main}/Info.plist", []).AddFile($"{Main}/Shop", [1]).WriteIpa(_temp.File("empty.ipa"));
        var open = () => AppPackageReader.Open(ipa);
        open.Should().Throw<BundleFormatException>().Which.Place.Should().Be($"entry {Main}/Info.plist");
    }

    /// <summary>
    /// Random plist values of every type, XML or binary, as the root of the main app's and of an extension's
    /// Info.plist: a dict root always opens without problems, any other root always refuses the main app and always
    /// records exactly one problem for the extension.
    /// </summary>
    [Fact]
    public void Property_only_a_dict_root_makes_a_valid_bundle()
    {
        var random = new Random(2026_12_01);
        int dicts = 0, others = 0;
        for (var i = 0; i < 40; i++)
        {
            var root = RandomValue(random, depth: 0);
            var isDict = root.StartsWith("<dict", StringComparison.Ordinal);
            if (isDict) dicts++; else others++;
            var binary = random.Next(2) == 0;
            var xml = Wrap(root);

            var asMain = new IpaBuilder().AddFile($"{Main}/Info.plist", Bytes(xml, binary)).AddFile($"{Main}/Shop", [1])
                .WriteIpa(_temp.File($"main{i}.ipa"));
            var open = () => AppPackageReader.Open(asMain).Dispose();
            if (isDict) open.Should().NotThrow(xml);
            else open.Should().Throw<BundleFormatException>(xml).Which.Problem.Should().Contain("not the <dict>");

            var asExtension = new IpaBuilder().AddApp("Shop").AddFile($"{Share}/Info.plist", Bytes(xml, binary)).AddFile($"{Share}/Share", [2])
                .WriteIpa(_temp.File($"ext{i}.ipa"));
            using var package = AppPackageReader.Open(asExtension);
            package.Problems.Should().HaveCount(isDict ? 0 : 1, xml);
        }
        dicts.Should().BePositive();
        others.Should().BePositive();
    }

    private static byte[] Bytes(string xml, bool binary) => binary ? PlistXml.ToBinary(xml) : System.Text.Encoding.UTF8.GetBytes(xml);

    private static string RandomValue(Random random, int depth) => random.Next(depth == 0 ? 8 : 6) switch
    {
        0 => $"<string>s{random.Next(1000)}</string>",
        1 => $"<integer>{random.Next(-5, 1_000_000)}</integer>",
        2 => random.Next(2) == 0 ? "<true/>" : "<false/>",
        3 => $"<real>{random.Next(100)}.5</real>",
        4 => "<data>AAEC</data>",
        5 => "<date>2026-12-01T00:00:00Z</date>",
        6 => $"<array>{string.Concat(Enumerable.Range(0, random.Next(3)).Select(_ => RandomValue(random, depth + 1)))}</array>",
        _ => $"<dict>{string.Concat(Enumerable.Range(0, random.Next(3)).Select(k => $"<key>k{k}</key>" + RandomValue(random, depth + 1)))}</dict>",
    };
}
