using Mstg.Analysis.Rules;
using Mstg.Analysis.Scanning;
using Mstg.Bundles;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.ReferenceApps;
using Mstg.Fixtures.Toolchain;
using Mstg.MachO;

namespace Mstg.Analysis.Tests.Scanning;

/// <summary>
/// What the Mach-O reader could not read reaches the verdict: a cut binary makes the scan <c>incomplete</c>, never
/// <c>pass</c>; and with the default limits a selector after 600,000 strings or at the end of a 66 MiB
/// <c>__cstring</c> is found, so the app fails.
/// </summary>
public class ReaderLimitTests
{
    private static readonly ScanOptions L2 = new() { Profile = Profile.L2, FirstPartyDomains = ["securebank.example"] };

    [Theory]
    [InlineData(nameof(ManyStringsBinaries.AfterManyStrings))]
    [InlineData(nameof(ManyStringsBinaries.AfterLargeSection))]
    public void Trust_bypass_selector_past_the_old_limits_fails_the_scan(string binary)
    {
        var path = binary == nameof(ManyStringsBinaries.AfterManyStrings) ? ManyStringsBinaries.AfterManyStrings : ManyStringsBinaries.AfterLargeSection;
        var ipa = new IpaBuilder().AddApp("Filler", executable: File.ReadAllBytes(path)).WriteIpa();

        var result = Scanner.Default.Scan(ipa);

        result.Problems.Should().BeEmpty();
        result.Outcome.Should().Be("fail");
        result.Findings.Should().Contain(f => f.RuleId == RuleCatalog.BinTrustBypass && f.Verdict == Verdict.Fail
                                              && f.Message.Contains(ManyStringsBinaries.BypassSelector));
    }

    [Fact]
    public void Secure_app_passes_with_the_default_limits()
    {
        // The control for the cases below: the same app, nothing cut, is a pass.
        var result = Scanner.Default.Scan(ReferenceAppCatalog.SecureBank.BuildIpa(), L2);
        result.Problems.Should().BeEmpty();
        result.Outcome.Should().Be("pass");
    }

    [Theory]
    [InlineData(MachOWarningKind.StringLimit)]
    [InlineData(MachOWarningKind.StringCut)]
    [InlineData(MachOWarningKind.StringSectionTruncated)]
    [InlineData(MachOWarningKind.RangeTooLarge)]
    [InlineData(MachOWarningKind.ReadBudgetSpent)]
    [InlineData(MachOWarningKind.SymbolLimit)]
    public void Secure_app_cut_by_a_reader_limit_is_incomplete_not_pass(MachOWarningKind kind)
    {
        var limits = kind switch
        {
            MachOWarningKind.StringLimit => new MachOReadOptions { MaxStrings = 2 },
            MachOWarningKind.StringCut => new MachOReadOptions { MaxStringLength = 8 },
            MachOWarningKind.StringSectionTruncated or MachOWarningKind.RangeTooLarge => new MachOReadOptions { MaxRangeBytes = 64 },
            MachOWarningKind.ReadBudgetSpent => new MachOReadOptions { MaxBytesPerSlice = 64 },
            _ => new MachOReadOptions { MaxSymbols = 2 },
        };

        var result = Scanner.Default.Scan(ReferenceAppCatalog.SecureBank.BuildIpa(), L2 with { MachO = limits });

        result.Outcome.Should().Be("incomplete");
        var problems = result.Problems.OfType<ReaderWarningProblem>().Where(p => p.Warning.Kind == kind).ToList();
        problems.Should().NotBeEmpty().And.OnlyContain(p => p.Source.StartsWith("Payload/SecureBank.app/", StringComparison.Ordinal)
                                                            && p.Place == $"arm64 slice, reader limit {new MachOWarning(kind, "").Limit}");
    }

    [Fact]
    public void Every_warning_kind_becomes_a_problem_that_makes_the_scan_incomplete()
    {
        using var package = AppPackageReader.Open(ReferenceAppCatalog.SecureBank.BuildIpa());
        var bundle = package.Bundles.First(b => b.Executable is not null);
        var image = MachOReader.Read(File.ReadAllBytes(ManyStringsBinaries.AfterManyStrings), "App").Images.Single();
        var kinds = Enum.GetValues<MachOWarningKind>();
        var file = new MachOFile("App", false, [image with { Warnings = kinds.Select(k => new MachOWarning(k, $"test {k}")).ToList() }]);
        var context = new BundleContext { Package = package, Bundle = bundle, Options = new ScanOptions(), Executable = file };

        var problems = ReaderWarningProblem.Of(context).ToList();

        problems.Select(p => p.Warning.Kind).Should().Equal(kinds);
        problems.Should().OnlyContain(p => p.Source == bundle.Executable!.Path && p.Message.Contains("the rules did not see the whole binary"));
        var result = new ScanResult
        {
            Target = "t", Options = new ScanOptions(), StartedAt = default, Duration = default, Bundles = [], Findings = [], Problems = problems,
        };
        result.Outcome.Should().Be("incomplete");
    }

    [Fact]
    public void A_cancelled_scan_throws_instead_of_returning_a_partial_result()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var scan = () => Scanner.Default.Scan(ReferenceAppCatalog.SecureBank.BuildIpa(), L2, cancel.Token);
        scan.Should().Throw<OperationCanceledException>();
    }
}
