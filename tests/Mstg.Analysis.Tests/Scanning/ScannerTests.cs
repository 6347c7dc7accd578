using Mstg.Analysis.Rules;
using Mstg.Analysis.Scanning;
using Mstg.Bundles;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.ReferenceApps;

namespace Mstg.Analysis.Tests.Scanning;

public class ScannerTests
{
    [Fact]
    public void Parallel_and_sequential_scans_give_identical_findings()
    {
        var ipa = ReferenceAppCatalog.InsecureBank.BuildIpa();
        var one = Scanner.Default.Scan(ipa, new ScanOptions { Profile = Profile.L2, MaxParallelism = 1 });
        var two = Scanner.Default.Scan(ipa, new ScanOptions { Profile = Profile.L2, MaxParallelism = 2 });

        two.Findings.Select(f => f.ToString()).Should().Equal(one.Findings.Select(f => f.ToString()));
        two.Bundles.Select(b => b.Path).Should().Equal(one.Bundles.Select(b => b.Path));
        // InsecureBank's frameworks: AFNetworking and Starscream (the MSTG-NETWORK-6 unreadable-version case).
        one.Bundles.Select(b => b.Kind).Should().Equal(BundleKind.App, BundleKind.AppExtension, BundleKind.Framework, BundleKind.Framework);
    }

    [Fact]
    public void Folder_and_ipa_give_the_same_findings()
    {
        var fromIpa = Scanner.Default.Scan(ReferenceAppCatalog.InsecureBank.BuildIpa());
        var fromFolder = Scanner.Default.Scan(ReferenceAppCatalog.InsecureBank.BuildAppFolder());
        fromFolder.Findings.Select(f => (f.RuleId, f.Verdict, f.Domain)).Should().BeEquivalentTo(fromIpa.Findings.Select(f => (f.RuleId, f.Verdict, f.Domain)));
    }

    [Fact]
    public void Unreadable_executable_is_a_problem_and_its_binary_rules_are_skipped_not_passed()
    {
        var ipa = new IpaBuilder()
            .AddApp("Broken", executable: "\u00cf\u00fa\u00ed\u00fe truncated"u8.ToArray())
            .WriteIpa();
        var result = Scanner.Default.Scan(ipa, new ScanOptions { Profile = Profile.L2 });

        result.Problems.Should().ContainSingle().Which.Should().BeAssignableTo<MstgInputException>();
        result.Problems[0].Source.Should().EndWith("Broken.app/Broken");
        result.Findings.Where(f => f.Rule.Family == RuleFamily.Binary).Should().NotBeEmpty()
            .And.OnlyContain(f => f.Verdict == Verdict.Skipped);
    }

    [Fact]
    public void Lone_plist_is_scanned_with_plist_rules_only()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "Info.plist");
        File.WriteAllText(path, """
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0"><dict>
              <key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoadsForMedia</key><true/></dict>
            </dict></plist>
            """);
        var result = Scanner.Default.Scan(path);
        result.Bundles.Should().ContainSingle().Which.Kind.Should().Be(BundleKind.PlistOnly);
        result.Findings.Where(f => f.Verdict == Verdict.Fail).Select(f => f.RuleId).Should().Equal(RuleCatalog.AtsArbitraryLoadsMedia);
    }

    private sealed class StringCountingRule : IPackageRule
    {
        public int Strings { get; private set; }
        public IEnumerable<Finding> Evaluate(IReadOnlyList<BundleContext> bundles)
        {
            Strings = bundles.Sum(b => b.Executable?.Primary?.Strings.Count ?? 0);
            return [];
        }
    }

    [Fact]
    public void Executable_strings_are_released_only_when_every_package_rule_collects_per_bundle()
    {
        var ipa = ReferenceAppCatalog.InsecureBank.BuildIpa();
        var plain = new StringCountingRule();
        new Scanner(RuleSet.BundleRules, [.. RuleSet.PackageRules, plain]).Scan(ipa);
        plain.Strings.Should().BeGreaterThan(10, "a rule that needs the whole app at once must still see every string");

        // With only collecting rules the findings are the same as with the plain rule present.
        var released = Scanner.Default.Scan(ipa, new ScanOptions { Profile = Profile.L2 });
        var kept = new Scanner(RuleSet.BundleRules, [.. RuleSet.PackageRules, new StringCountingRule()]).Scan(ipa, new ScanOptions { Profile = Profile.L2 });
        released.Findings.Select(f => f.ToString()).Should().Equal(kept.Findings.Select(f => f.ToString()));
    }
}
