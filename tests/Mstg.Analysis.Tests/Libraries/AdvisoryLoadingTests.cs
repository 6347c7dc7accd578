using System.Collections.Concurrent;
using Mstg.Analysis.Libraries;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Scanning;
using Mstg.Analysis.Tests.Binary.Support;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Toolchain;
using Mstg.MachO;

namespace Mstg.Analysis.Tests.Libraries;

/// <summary>The advisory files are read once per scan (before the app is opened) and again by the next scan.</summary>
public sealed class AdvisoryLoadingTests : IDisposable
{
    private readonly string _advisories = Path.Combine(Path.GetTempPath(), $"mstg-advisories-{Guid.NewGuid():N}.json");
    private readonly string _ipa;

    public AdvisoryLoadingTests()
    {
        var dylib = Clang.Build(new MachOSpec
        {
            Source = "__attribute__((objc_root_class))\n@interface TSKPinningValidator\n@end\n@implementation TSKPinningValidator\n@end\n",
            Language = SourceLanguage.ObjectiveC, Output = MachOOutputKind.Dylib, InstallName = "@rpath/TrustKit.framework/TrustKit",
        });
        var appPath = IpaBuilder.AppPath("App");
        _ipa = new IpaBuilder()
            .AddApp("App", Clang.C(Clang.Prelude + "int main(void){ puts(\"host app\"); return 0; }"))
            .AddBundle(IpaBuilder.FrameworkPath(appPath, "TrustKit"), executableContent: dylib, packageType: "FMWK",
                infoPlistXml: PlistXml.InfoPlist("TrustKit", "org.cocoapods.TrustKit", "FMWK", PlistXml.Key("CFBundleShortVersionString", "1.6.5")))
            .WriteIpa();
    }

    public void Dispose()
    {
        File.Delete(_advisories);
        File.Delete(_ipa);
    }

    private void WriteAdvisory(string id, string fixedIn) => File.WriteAllText(_advisories,
        $$"""{ "advisories": [ { "id": "{{id}}", "summary": "Test advisory.", "affected": [ { "package": { "name": "TrustKit" }, "ranges": [ { "events": [ { "introduced": "0" }, { "fixed": "{{fixedIn}}" } ] } ] } ] } ] }""");

    private sealed class RecordingRule : IBundleRule
    {
        public ConcurrentBag<AdvisoryDatabase> Seen { get; } = [];

        public IEnumerable<Finding> Evaluate(BundleContext context)
        {
            Seen.Add(AdvisoryDatabase.Of(context));
            return [];
        }
    }

    [Fact]
    public void Every_bundle_of_a_scan_sees_the_one_database_the_scanner_read()
    {
        WriteAdvisory("GHSA-user-0001", "1.7.0");
        var rule = new RecordingRule();
        new Scanner([rule], []).Scan(_ipa, new ScanOptions { AdvisoryFiles = [_advisories], MaxParallelism = 2 });

        rule.Seen.Should().HaveCount(2, "the app and its framework");
        rule.Seen.Distinct().Should().ContainSingle().Which.Advisories.Should().Contain(a => a.Id == "GHSA-user-0001");
    }

    [Fact]
    public void A_changed_advisory_file_is_read_again_by_the_next_scan()
    {
        var options = new ScanOptions { AdvisoryFiles = [_advisories] };
        WriteAdvisory("GHSA-user-0001", "1.7.0");
        Scanner.Default.Scan(_ipa, options).Findings
            .Should().Contain(f => f.RuleId == RuleCatalog.LibVulnerable && f.Verdict == Verdict.Fail && f.Message.Contains("GHSA-user-0001"));

        // The user fixes the range; a database kept from the first scan would still call 1.6.5 vulnerable.
        WriteAdvisory("GHSA-user-0001", "1.6.0");
        Scanner.Default.Scan(_ipa, options).Findings
            .Should().NotContain(f => f.RuleId == RuleCatalog.LibVulnerable && f.Verdict == Verdict.Fail);
    }

    [Fact]
    public void An_unreadable_advisory_file_stops_the_scan_before_the_app_is_opened()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"mstg-missing-{Guid.NewGuid():N}.json");
        var act = () => Scanner.Default.Scan("/nonexistent/App.ipa", new ScanOptions { AdvisoryFiles = [missing] });
        act.Should().Throw<MstgInputException>().Which.Message.Should().Contain(missing);
    }
}
