using Mstg.Analysis.Waivers;

namespace Mstg.Analysis.Tests.Waivers;

/// <summary>The waiver (baseline) reader the CLI and the suites share: what matches, when a waiver stops holding.</summary>
public class WaiverFileTests
{
    private static Finding Finding(string rule = RuleCatalog.AtsDomainInsecureHttp, Verdict verdict = Verdict.Fail, string? domain = "api.example.com") => new()
    {
        RuleId = rule, Verdict = verdict, Severity = Severity.High, Message = "m",
        Bundle = "Payload/App.app", Location = "Info.plist:NSAppTransportSecurity/NSExceptionDomains/api.example.com", Domain = domain,
    };

    private static IReadOnlyList<Waiver> Parse(string entry) =>
        WaiverFile.Parse($$"""{"waivers": [{{entry}}]}""", "mstg-baseline.json");

    [Fact]
    public void A_waiver_holds_through_its_expiry_day_and_not_after()
    {
        var waivers = Parse("""{"rule": "ATS-DOMAIN-INSECURE-HTTP", "justification": "legacy API until v3", "expires": "2027-06-30"}""");
        WaiverFile.Apply([Finding()], waivers, new DateOnly(2027, 6, 30)).Suppressed.Should().HaveCount(1, "the expiry day is the last day it holds");
        var after = WaiverFile.Apply([Finding()], waivers, new DateOnly(2027, 7, 1));
        after.Suppressed.Should().BeEmpty();
        after.Expired.Should().ContainSingle().Which.Place.Should().Be("mstg-baseline.json: waivers[0]");
    }

    [Theory]
    [InlineData("""{"rule": "ATS-DOMAIN-INSECURE-HTTP", "domain": "API.example.com"}""", true)]
    [InlineData("""{"rule": "ATS-DOMAIN-INSECURE-HTTP", "domain": "cdn.example.com"}""", false)]
    [InlineData("""{"rule": "ATS-DOMAIN-INSECURE-HTTP", "bundle": "Payload/App.app"}""", true)]
    [InlineData("""{"rule": "ATS-DOMAIN-INSECURE-HTTP", "bundle": "Payload/App.app/PlugIns/Share.appex"}""", false)]
    [InlineData("""{"rule": "ATS-DOMAIN-INSECURE-HTTP", "location": "Info.plist:NSAppTransportSecurity/NSExceptionDomains/api.example.com"}""", true)]
    [InlineData("""{"rule": "ATS-DOMAIN-INSECURE-HTTP", "location": "Info.plist:NSAppTransportSecurity"}""", false)]
    [InlineData("""{"rule": "ATS-DOMAIN-WEAK-TLS"}""", false)]
    public void Given_fields_narrow_the_match(string entry, bool matches)
    {
        var waiver = Parse(entry.Replace("}", """, "justification": "j", "expires": "2999-01-01"}"""));
        WaiverFile.Apply([Finding()], waiver, new DateOnly(2026, 1, 1)).Suppressed.Count.Should().Be(matches ? 1 : 0);
    }

    [Fact]
    public void Only_fail_and_warn_findings_are_suppressed()
    {
        var waivers = Parse("""{"rule": "ATS-DOMAIN-INSECURE-HTTP", "justification": "j", "expires": "2999-01-01"}""");
        var today = new DateOnly(2026, 1, 1);
        WaiverFile.Apply([Finding(verdict: Verdict.Warn)], waivers, today).Suppressed.Should().HaveCount(1);
        WaiverFile.Apply([Finding(verdict: Verdict.Skipped)], waivers, today).Suppressed.Should().BeEmpty("a skipped rule is not a finding to accept; it stays incomplete");
        WaiverFile.Apply([Finding(verdict: Verdict.Pass)], waivers, today).Suppressed.Should().BeEmpty();
    }

    [Fact]
    public void An_empty_justification_is_refused()
    {
        var act = () => Parse("""{"rule": "ATS-DOMAIN-INSECURE-HTTP", "justification": "  ", "expires": "2999-01-01"}""");
        act.Should().Throw<MstgInputException>().WithMessage("mstg-baseline.json: waivers[0].justification: is empty*");
    }
}
