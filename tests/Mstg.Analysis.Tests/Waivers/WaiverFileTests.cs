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

    private static Finding Dynamic(string host = "api.example.com", string condition = "trusted-ca") => new()
    {
        RuleId = RuleCatalog.DynNotPinned, Verdict = Verdict.Fail, Severity = Severity.Medium, Message = "accepted", Subject = new HostConditionSubject(host, condition),
    };

    private static Finding Server(string host = "api.example.com", int port = 443) => new()
    {
        RuleId = RuleCatalog.ServerWeakCipher, Verdict = Verdict.Fail, Severity = Severity.High, Message = "m", Subject = new EndpointSubject(host, port),
    };

    private static Waiver One(string fields) => Parse($$"""{{{fields}}, "justification": "j", "expires": "2999-01-01"}""").Single();

    [Theory]
    // Dynamic cases: the probe id (given by the suite), the host (any case) and the condition narrow the match.
    [InlineData(""" "test": "n4-trusted-ca" """, "dynamic", true)]
    [InlineData(""" "test": "n3-untrusted-ca" """, "dynamic", false)]
    [InlineData(""" "test": "n4-trusted-ca", "host": "API.example.com" """, "dynamic", true)]
    [InlineData(""" "test": "n4-trusted-ca", "host": "auth.example.com" """, "dynamic", false)]
    [InlineData(""" "rule": "DYN-NOT-PINNED", "condition": "trusted-ca" """, "dynamic", true)]
    [InlineData(""" "rule": "DYN-NOT-PINNED", "condition": "untrusted-ca" """, "dynamic", false)]
    // Server cases: the endpoint as host (any port) or host:port.
    [InlineData(""" "rule": "SERVER-WEAK-CIPHER", "endpoint": "api.example.com" """, "server", true)]
    [InlineData(""" "rule": "SERVER-WEAK-CIPHER", "endpoint": "api.example.com:443" """, "server", true)]
    [InlineData(""" "rule": "SERVER-WEAK-CIPHER", "endpoint": "api.example.com:8443" """, "server", false)]
    [InlineData(""" "rule": "SERVER-WEAK-CIPHER", "endpoint": "cdn.example.com" """, "server", false)]
    // A field the finding's kind does not have never matches: a host on a static finding, a bundle on a dynamic one.
    [InlineData(""" "rule": "ATS-DOMAIN-INSECURE-HTTP", "host": "api.example.com" """, "static", false)]
    [InlineData(""" "rule": "DYN-NOT-PINNED", "bundle": "Payload/App.app" """, "dynamic", false)]
    [InlineData(""" "rule": "SERVER-WEAK-CIPHER", "host": "api.example.com" """, "server", false)]
    public void Dynamic_and_server_fields_narrow_the_match(string fields, string kind, bool matches)
    {
        var (finding, test) = kind switch
        {
            "dynamic" => (Dynamic(), "n4-trusted-ca"),
            "server" => (Server(), (string?)null),
            _ => (Finding(), null),
        };
        One(fields).Matches(finding, test).Should().Be(matches);
    }

    [Fact]
    public void Who_and_when_are_read_and_a_test_waiver_needs_no_rule()
    {
        var waiver = One(""" "test": "n4-trusted-ca", "host": "api.example.com", "approvedBy": "Ada", "approvedOn": "2026-11-30" """);
        waiver.Rule.Should().BeNull();
        waiver.Approval.Should().Be("by Ada on 2026-11-30");
        waiver.Kind.Should().Be(CheckKind.Dynamic);
        One(""" "rule": "SERVER-WEAK-CIPHER" """).Kind.Should().Be(CheckKind.Server);
        One(""" "rule": "ATS-ARBITRARY-LOADS" """).Kind.Should().Be(CheckKind.Static);
    }

    [Theory]
    [InlineData(""" "host": "api.example.com" """, "waivers[0]", "\"rule\" is required (or \"test\"")]
    [InlineData(""" "rule": "SERVER-WEAK-CIPHER", "endpoint": "a:443", "host": "a" """, "waivers[0]", "cannot be combined")]
    [InlineData(""" "rule": "PIN-NONE", "approvedOn": "yesterday" """, "waivers[0].approvedOn", "not a date")]
    [InlineData(""" "rule": "PIN-NONE", "host": 443 """, "waivers[0].host", "expected a string")]
    public void Malformed_new_fields_are_refused_naming_the_place(string fields, string place, string problem)
    {
        var act = () => One(fields);
        act.Should().Throw<MstgInputException>().Where(e => e.Place == place && e.Problem.Contains(problem));
    }
}
