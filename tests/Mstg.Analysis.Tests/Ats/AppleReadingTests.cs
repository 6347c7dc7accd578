using Mstg.Analysis.Ats;
using static Mstg.Analysis.Tests.Ats.InfoPlists;

namespace Mstg.Analysis.Tests.Ats;

/// <summary>
/// The ATS readings that follow Apple's reader (Security, SecProtocolConfiguration.m) rather than a loose reading, one
/// table per class, each in both directions: what must be reported and what must not. docs/rules.md cites the source
/// of each row ("Readings that follow Apple's code").
/// </summary>
public class AppleReadingTests
{
    private const string True = "<true/>";

    // ------------------------------------------------------------ values of the wrong type: NSExceptionMinimumTLSVersion

    /// <summary>value, effective minimum, whether ATS-DOMAIN-WEAK-TLS fires, whether ATS-INVALID-VALUE fires.</summary>
    public static TheoryData<string, TlsVersion, bool, bool> TlsValues => new()
    {
        { "<string>TLSv1.0</string>", TlsVersion.Tls10, true, false },
        { "<string>TLSv1.1</string>", TlsVersion.Tls11, true, false },
        { "<string>TLSv1.3</string>", TlsVersion.Tls13, false, false },
        // sec_protocol_configuration_protocol_string_to_version: exact prefix "TLSv1.", one digit 0-3, then the end.
        { "<string>TLSv1.5</string>", TlsVersion.Tls12, false, true },
        { "<string>TLSv1</string>", TlsVersion.Tls12, false, true },
        { "<string>tlsv1.0</string>", TlsVersion.Tls12, false, true },
        { "<string>TLSv1.0 </string>", TlsVersion.Tls12, false, true },
        { "<string>1.0</string>", TlsVersion.Tls12, false, true },
        // STRING_FOR_KEY: a non-string keeps the default "TLSv1.2".
        { "<real>1.0</real>", TlsVersion.Tls12, false, true },
        { "<true/>", TlsVersion.Tls12, false, true },
    };

    [Theory]
    [MemberData(nameof(TlsValues))]
    public void Minimum_tls_values_are_read_as_apples_reader_reads_them(string value, TlsVersion minimum, bool weak, bool invalid)
    {
        var info = WithAts(Domain("a.example.com", $"<key>NSExceptionMinimumTLSVersion</key>{value}"));
        AtsPolicy.Evaluate(info).MinimumTls("a.example.com").Should().Be(minimum);
        var ids = Ids(Scan(info));
        ids.Contains("ATS-DOMAIN-WEAK-TLS@a.example.com").Should().Be(weak, "{0}", value);
        ids.Contains("ATS-INVALID-VALUE@NSExceptionMinimumTLSVersion").Should().Be(invalid, "{0}", value);
        if (invalid) Scan(info).Single().Message.Should().NotContain("lowers the minimum");
    }

    // ------------------------------------------------------------ values of the wrong type: the keys that override NSAllowsArbitraryLoads

    /// <summary>overrider value, whether NSAllowsArbitraryLoads stays in effect on iOS 10+, expected findings.</summary>
    public static TheoryData<string, bool, string[]> OverriderValues => new()
    {
        // A Boolean, whatever its value, is "present": ATS_VALUE_FOR_KEY stores True or False, not NotPresent.
        { "<true/>", false, ["ATS-ARBITRARY-LOADS-IGNORED@NSAllowsArbitraryLoads", "ATS-ARBITRARY-LOADS-WEB-CONTENT@NSAllowsArbitraryLoadsInWebContent"] },
        { "<false/>", false, ["ATS-ARBITRARY-LOADS-IGNORED@NSAllowsArbitraryLoads"] },
        // A number is an NSNumber: present; 0 is NO.
        { "<integer>0</integer>", false, ["ATS-ARBITRARY-LOADS-IGNORED@NSAllowsArbitraryLoads", "ATS-INVALID-VALUE@NSAllowsArbitraryLoadsInWebContent"] },
        // A string or a container is ignored with a logged error and stays kATSGlobalKeyNotPresent: NSAllowsArbitraryLoads is honoured.
        { "<string>YES</string>", true, ["ATS-ARBITRARY-LOADS@NSAllowsArbitraryLoads", "ATS-INVALID-VALUE@NSAllowsArbitraryLoadsInWebContent"] },
        { "<string>NO</string>", true, ["ATS-ARBITRARY-LOADS@NSAllowsArbitraryLoads", "ATS-INVALID-VALUE@NSAllowsArbitraryLoadsInWebContent"] },
        { "<dict/>", true, ["ATS-ARBITRARY-LOADS@NSAllowsArbitraryLoads", "ATS-INVALID-VALUE@NSAllowsArbitraryLoadsInWebContent"] },
    };

    [Theory]
    [MemberData(nameof(OverriderValues))]
    public void Only_a_boolean_or_number_overrider_makes_arbitrary_loads_ignored(string value, bool arbitraryInEffect, string[] expected)
    {
        var info = WithAts($"<key>NSAllowsArbitraryLoads</key>{True}<key>NSAllowsArbitraryLoadsInWebContent</key>{value}",
            "<key>MinimumOSVersion</key><string>15.0</string>");
        var policy = AtsPolicy.Evaluate(info);
        policy.ArbitraryLoadsInEffect(new Version(18, 0)).Should().Be(arbitraryInEffect);
        policy.IsCleartextAllowed("api.example.com").Should().Be(arbitraryInEffect);
        Ids(Scan(info)).Should().BeEquivalentTo(expected);
    }

    [Theory]
    [InlineData("NSAllowsArbitraryLoadsForMedia")]
    [InlineData("NSAllowsLocalNetworking")]
    public void The_other_overriders_follow_the_same_reading(string key)
    {
        AtsPolicy.Evaluate(WithAts($"<key>NSAllowsArbitraryLoads</key>{True}<key>{key}</key><string>YES</string>"))
            .ArbitraryLoadsOverriders.Should().BeEmpty();
        AtsPolicy.Evaluate(WithAts($"<key>NSAllowsArbitraryLoads</key>{True}<key>{key}</key><false/>"))
            .ArbitraryLoadsOverriders.Should().Equal(key);
    }

    /// <summary>per-domain Boolean value, whether cleartext is allowed (BOOLEAN_FOR_KEY: NSNumber equal to @YES only).</summary>
    public static TheoryData<string, bool> DomainBooleans => new()
    {
        { "<true/>", true },
        { "<integer>1</integer>", true },
        { "<real>1.0</real>", true },
        { "<false/>", false },
        { "<integer>2</integer>", false },
        { "<string>YES</string>", false },
        { "<string>true</string>", false },
        { "<date>2020-01-01T00:00:00Z</date>", false },
    };

    [Theory]
    [MemberData(nameof(DomainBooleans))]
    public void Per_domain_booleans_count_only_as_numbers(string value, bool cleartext)
    {
        var info = WithAts(Domain("a.example.com", $"<key>NSExceptionAllowsInsecureHTTPLoads</key>{value}"));
        AtsPolicy.Evaluate(info).IsCleartextAllowed("a.example.com").Should().Be(cleartext);
        Ids(Scan(info)).Contains("ATS-DOMAIN-INSECURE-HTTP@a.example.com").Should().Be(cleartext);
        if (value != "<true/>" && value != "<false/>")
            Ids(Scan(info)).Should().Contain("ATS-INVALID-VALUE@NSExceptionAllowsInsecureHTTPLoads", "a non-Boolean is always pointed out");
    }

    // ------------------------------------------------------------ domain keys

    /// <summary>key, host, whether the host gets cleartext (the key allows it with subdomains), whether the key is reported invalid.</summary>
    public static TheoryData<string, string, bool, bool> DomainKeys => new()
    {
        { "example.com", "example.com", true, false },
        { "example.com", "a.b.example.com", true, false },      // any depth below: _find_parent_domain is applied repeatedly
        { "Example.com", "example.com", false, true },          // looked up as written: upper case never matches
        { "EXAMPLE.COM", "a.example.com", false, true },
        { "example.com.", "example.com", false, false },        // a trailing dot is part of the key
    };

    [Theory]
    [MemberData(nameof(DomainKeys))]
    public void Exception_keys_are_looked_up_as_written(string key, string host, bool cleartext, bool invalid)
    {
        var info = WithAts(Domain(key, $"<key>NSIncludesSubdomains</key>{True}<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}"));
        AtsPolicy.Evaluate(info).IsCleartextAllowed(host).Should().Be(cleartext);
        var ids = Ids(Scan(info));
        ids.Contains($"ATS-INVALID-VALUE@{key}").Should().Be(invalid);
        ids.Contains($"ATS-DOMAIN-INSECURE-HTTP@{key}").Should().Be(!invalid, "an entry that matches nothing is not evaluated");
    }

    /// <summary>key, verdict and severity of ATS-DOMAIN-SUBDOMAINS for a cleartext exception with NSIncludesSubdomains.</summary>
    public static TheoryData<string, Verdict, Severity> SubdomainKeys => new()
    {
        { "com", Verdict.Fail, Severity.High },
        { "co.uk", Verdict.Fail, Severity.High },
        { "github.io", Verdict.Fail, Severity.High },           // private section: every GitHub Pages site
        { "anything.ck", Verdict.Fail, Severity.High },         // wildcard rule *.ck
        { "example.com", Verdict.Warn, Severity.Low },
        { "myapp.github.io", Verdict.Warn, Severity.Low },      // the developer's own site
        { "www.ck", Verdict.Warn, Severity.Low },               // exception rule !www.ck
    };

    [Theory]
    [MemberData(nameof(SubdomainKeys))]
    public void A_public_suffix_with_subdomains_opens_every_site_under_it(string key, Verdict verdict, Severity severity)
    {
        var findings = Scan(WithAts(Domain(key, $"<key>NSIncludesSubdomains</key>{True}<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}")));
        var sub = findings.Single(f => f.RuleId == RuleCatalog.AtsDomainSubdomains);
        sub.Verdict.Should().Be(verdict);
        sub.Severity.Should().Be(severity);
        var http = findings.Single(f => f.RuleId == RuleCatalog.AtsDomainInsecureHttp);
        http.Verdict.Should().Be(Verdict.Fail);
        http.Message.Should().NotContain("lower risk", "a public suffix is not a local host");
        if (verdict == Verdict.Fail) http.Message.Should().Contain("public suffix");
    }

    [Fact]
    public void A_public_suffix_key_without_subdomains_only_names_itself()
    {
        var findings = Scan(WithAts(Domain("com", $"<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}")));
        Ids(findings).Should().Equal("ATS-DOMAIN-INSECURE-HTTP@com");
        findings.Single().Message.Should().NotContain("public suffix").And.NotContain("lower risk", "com is a registry, not a local host");
        Scan(WithAts(Domain("intranet", $"<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}"))).Single().Message.Should().Contain("lower risk");
    }

    /// <summary>key, verdict of ATS-DOMAIN-INSECURE-HTTP, whether the message says the traffic is loopback only.</summary>
    public static TheoryData<string, Verdict, bool> LocalKeys => new()
    {
        { "localhost", Verdict.Warn, true },
        { "127.0.0.1", Verdict.Warn, true },
        { "::1", Verdict.Warn, true },
        { "10.0.0.1", Verdict.Fail, false },                    // a LAN address: other devices can listen
        { "192.168.1.0/24", Verdict.Fail, false },
        { "intranet", Verdict.Fail, false },
        { "api.example.com", Verdict.Fail, false },
    };

    [Theory]
    [MemberData(nameof(LocalKeys))]
    public void Loopback_keys_carry_only_loopback_traffic(string key, Verdict verdict, bool loopback)
    {
        var findings = Scan(WithAts(Domain(key, $"<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}<key>NSExceptionMinimumTLSVersion</key><string>TLSv1.0</string>")));
        foreach (var f in findings.Where(f => f.RuleId is RuleCatalog.AtsDomainInsecureHttp or RuleCatalog.AtsDomainWeakTls))
        {
            f.Verdict.Should().Be(verdict, f.RuleId);
            f.Severity.Should().Be(loopback ? Severity.Low : RuleCatalog.Get(f.RuleId).Severity);
            f.Message.Contains("only loopback traffic").Should().Be(loopback);
        }
        findings.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("::1", "[::1]", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    public void Address_keys_match_the_address_as_a_url_writes_it(string key, string host, bool matches) =>
        AtsPolicy.Evaluate(WithAts(Domain(key, "<key>NSExceptionMinimumTLSVersion</key><string>TLSv1.0</string>")))
            .ExceptionFor(host).Should().Match<AtsDomainException?>(e => (e != null) == matches);

    // ------------------------------------------------------------ a pinned host that may use cleartext

    [Fact]
    public void A_pinned_host_with_a_cleartext_exception_is_told_its_pins_do_not_cover_http()
    {
        const string pins = "<key>NSPinnedDomains</key><dict><key>api.example.com</key><dict><key>NSPinnedCAIdentities</key><array>" +
                            "<dict><key>SPKI-SHA256-BASE64</key><string>C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=</string></dict></array></dict></dict>";
        var exception = Domain("example.com", $"<key>NSIncludesSubdomains</key>{True}<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}");
        Scan(WithAts(exception + pins)).Single(f => f.RuleId == RuleCatalog.AtsDomainInsecureHttp)
            .Message.Should().Contain("api.example.com is pinned, but pins only protect TLS connections");
        // Not pinned: no such sentence.
        Scan(WithAts(exception)).Single(f => f.RuleId == RuleCatalog.AtsDomainInsecureHttp).Message.Should().NotContain("pinned");
        // A more specific strict entry governs the pinned host: the cleartext exception does not reach it.
        var strict = $"<key>NSExceptionDomains</key><dict><key>example.com</key><dict><key>NSIncludesSubdomains</key>{True}<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}</dict>" +
                     "<key>api.example.com</key><dict/></dict>";
        Scan(WithAts(strict + pins)).Single(f => f.RuleId == RuleCatalog.AtsDomainInsecureHttp).Message.Should().NotContain("pinned");
        // Global arbitrary loads reach the pinned host too.
        Scan(WithAts($"<key>NSAllowsArbitraryLoads</key>{True}" + pins)).Single(f => f.RuleId == RuleCatalog.AtsArbitraryLoads)
            .Message.Should().Contain("api.example.com is pinned, but pins only protect TLS connections");
    }
}
