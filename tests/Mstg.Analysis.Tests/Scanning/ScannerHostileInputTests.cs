using Mstg.Analysis.Scanning;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Analysis.Tests.Scanning;

/// <summary>Hostile packages reach the scan result as <c>incomplete</c> with a problem naming the entry, never as a pass.</summary>
public class ScannerHostileInputTests
{
    private static readonly Lazy<byte[]> RealBinary = new(() => ClangToolchain.Instance.Build(new MachOSpec { Source = "int main(void) { return 0; }" }));

    [Fact]
    public void Executable_with_a_wrong_crc_is_unreadable_and_the_scan_incomplete()
    {
        var intact = new IpaBuilder().AddApp("Shop", executable: RealBinary.Value).WriteIpa();
        var corrupt = new IpaBuilder().AddApp("Shop", executable: RealBinary.Value).CorruptCrc("Payload/Shop.app/Shop").WriteIpa();

        var control = Scanner.Default.Scan(intact);
        control.Problems.Should().BeEmpty();
        control.Bundles[0].Architectures.Should().Equal("arm64");

        var result = Scanner.Default.Scan(corrupt);
        result.Outcome.Should().Be("incomplete");
        result.Problems.Should().ContainSingle().Which.Should().Match<MstgInputException>(p =>
            p.Place == "entry Payload/Shop.app/Shop" && p.Problem.Contains("CRC-32"));
        result.Bundles[0].Architectures.Should().BeEmpty("a binary whose bytes cannot be trusted is not judged");
        result.Findings.Where(f => f.Rule.Family == RuleFamily.Binary).Should().OnlyContain(f => f.Verdict == Verdict.Skipped);
    }

    [Fact]
    public void Entry_past_the_path_limit_makes_the_scan_incomplete()
    {
        var name = "Payload/Shop.app/" + string.Concat(Enumerable.Repeat("deep/", 1_000)) + "file.json";
        var ipa = new IpaBuilder().AddApp("Shop", executable: RealBinary.Value).AddText(name, "{}").WriteIpa();
        var result = Scanner.Default.Scan(ipa);
        result.Outcome.Should().Be("incomplete");
        result.Problems.Should().ContainSingle().Which.Problem.Should().Contain("path length limit");
    }

    [Fact]
    public void Extension_with_a_non_dict_info_plist_makes_the_scan_incomplete()
    {
        var ipa = new IpaBuilder().AddApp("Shop", executable: RealBinary.Value)
            .AddExtension("Payload/Shop.app", "Share", infoPlistXml: "<?xml version=\"1.0\"?><plist version=\"1.0\"><array/></plist>")
            .WriteIpa();
        var result = Scanner.Default.Scan(ipa);
        result.Outcome.Should().Be("incomplete");
        result.Problems.Select(p => p.Place).Should().Contain("entry Payload/Shop.app/PlugIns/Share.appex/Info.plist");
    }
}
