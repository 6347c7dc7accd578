using Mstg.Analysis.Ats;
using static Mstg.Analysis.Tests.Ats.InfoPlists;
using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Tests.Ats;

public class AtsRulesTests
{
    private const string True = "<true/>", False = "<false/>";

    private static IReadOnlyList<string> IdsOf(string ats, string other = "") => Ids(Scan(WithAts(ats, other)));

    [Fact]
    public void No_ats_dictionary_gives_no_findings() =>
        Ids(Scan(Info("<key>CFBundleName</key><string>App</string>"))).Should().BeEmpty();

    [Fact]
    public void Arbitrary_loads_true_fails_and_false_passes()
    {
        IdsOf($"<key>NSAllowsArbitraryLoads</key>{True}").Should().Equal("ATS-ARBITRARY-LOADS@NSAllowsArbitraryLoads");
        IdsOf($"<key>NSAllowsArbitraryLoads</key>{False}").Should().BeEmpty();
    }

    [Fact]
    public void Arbitrary_loads_finding_carries_location_evidence_severity_and_bundle()
    {
        var f = Scan(WithAts($"<key>NSAllowsArbitraryLoads</key>{True}")).Single();
        f.Verdict.Should().Be(Verdict.Fail);
        f.Severity.Should().Be(RuleCatalog.Get(RuleCatalog.AtsArbitraryLoads).Severity);
        f.Bundle.Should().Be(Bundle);
        f.Location.Should().Be("Info.plist:NSAppTransportSecurity/NSAllowsArbitraryLoads");
        f.Evidence.Should().Be("NSAllowsArbitraryLoads = true");
        f.Domain.Should().BeNull();
        f.Message.Should().Contain("NSExceptionDomains").And.Contain("HTTPS");
    }

    [Fact]
    public void Empty_domain_dictionary_under_arbitrary_loads_re_enables_ats_for_that_domain()
    {
        var info = WithAts($"<key>NSAllowsArbitraryLoads</key>{True}<key>NSExceptionDomains</key><dict><key>secure.example.com</key><dict/></dict>");
        var policy = AtsPolicy.Evaluate(info);
        policy.IsCleartextAllowed("secure.example.com").Should().BeFalse();
        policy.MinimumTls("secure.example.com").Should().Be(TlsVersion.Tls12);
        policy.RequiresForwardSecrecy("secure.example.com").Should().BeTrue();
        policy.IsCleartextAllowed("other.example.com").Should().BeTrue();
        policy.MinimumTls("other.example.com").Should().BeNull();
        // Not a subdomain match: the empty entry has no NSIncludesSubdomains.
        policy.IsCleartextAllowed("a.secure.example.com").Should().BeTrue();

        var finding = Scan(info).Single();
        finding.RuleId.Should().Be(RuleCatalog.AtsArbitraryLoads);
        finding.Message.Should().Contain("secure.example.com");
    }

    [Theory]
    [InlineData("NSAllowsArbitraryLoadsInWebContent", "ATS-ARBITRARY-LOADS-WEB-CONTENT")]
    [InlineData("NSAllowsArbitraryLoadsForMedia", "ATS-ARBITRARY-LOADS-MEDIA")]
    [InlineData("NSAllowsLocalNetworking", "ATS-LOCAL-NETWORKING")]
    public void Finer_global_keys_fire_when_true_only(string key, string rule)
    {
        IdsOf($"<key>{key}</key>{True}").Should().Equal($"{rule}@{key}");
        IdsOf($"<key>{key}</key>{False}").Should().BeEmpty();
    }

    [Fact]
    public void Finer_key_verdicts_match_the_issue()
    {
        Scan(WithAts($"<key>NSAllowsArbitraryLoadsInWebContent</key>{True}")).Single().Verdict.Should().Be(Verdict.Fail);
        Scan(WithAts($"<key>NSAllowsArbitraryLoadsForMedia</key>{True}")).Single().Verdict.Should().Be(Verdict.Fail);
        Scan(WithAts($"<key>NSAllowsLocalNetworking</key>{True}")).Single().Verdict.Should().Be(Verdict.Warn);
    }

    [Fact]
    public void Arbitrary_loads_is_ignored_with_a_finer_key_on_ios_12_but_fails_on_ios_9()
    {
        const string ats = "<key>NSAllowsArbitraryLoads</key><true/><key>NSAllowsArbitraryLoadsInWebContent</key><true/>";

        var modern = Scan(WithAts(ats, "<key>MinimumOSVersion</key><string>12.0</string>"));
        Ids(modern).Should().Equal("ATS-ARBITRARY-LOADS-IGNORED@NSAllowsArbitraryLoads", "ATS-ARBITRARY-LOADS-WEB-CONTENT@NSAllowsArbitraryLoadsInWebContent");
        modern.First(f => f.RuleId == RuleCatalog.AtsArbitraryLoadsIgnored).Verdict.Should().Be(Verdict.Warn);

        var old = Scan(WithAts(ats, "<key>MinimumOSVersion</key><string>9.0</string>"));
        var ignored = old.Single(f => f.RuleId == RuleCatalog.AtsArbitraryLoadsIgnored);
        ignored.Verdict.Should().Be(Verdict.Fail);
        ignored.Severity.Should().Be(Severity.High);
        ignored.Message.Should().Contain("9.0");
        old.Should().NotContain(f => f.RuleId == RuleCatalog.AtsArbitraryLoads);
    }

    [Fact]
    public void A_finer_key_overrides_arbitrary_loads_by_its_presence_even_when_false()
    {
        var info = WithAts($"<key>NSAllowsArbitraryLoads</key>{True}<key>NSAllowsLocalNetworking</key>{False}");
        Ids(Scan(info)).Should().Equal("ATS-ARBITRARY-LOADS-IGNORED@NSAllowsArbitraryLoads");
        var policy = AtsPolicy.Evaluate(info);
        policy.ArbitraryLoadsInEffect(new Version(12, 0)).Should().BeFalse();
        policy.ArbitraryLoadsInEffect(new Version(9, 3)).Should().BeTrue();
        policy.IsCleartextAllowed("api.example.com", new Version(9, 3)).Should().BeTrue();
        policy.IsCleartextAllowed("api.example.com", new Version(12, 0)).Should().BeFalse();
    }

    [Fact]
    public void Ignored_rule_uses_the_mach_o_deployment_target_over_the_plist()
    {
        var info = WithAts("<key>NSAllowsArbitraryLoads</key><true/><key>NSAllowsArbitraryLoadsForMedia</key><false/>",
            "<key>MinimumOSVersion</key><string>12.0</string>");
        var build = new Mstg.MachO.BuildVersion(Mstg.MachO.MachOPlatform.iOS, new Version(9, 0), new Version(16, 0), "LC_BUILD_VERSION");
        var findings = AtsRules.Evaluate(info, BundleTarget.Read(info, build), Bundle);
        findings.Single().Verdict.Should().Be(Verdict.Fail);
    }

    [Fact]
    public void Unresolved_deployment_target_is_reported_only_when_the_ignored_rule_depends_on_it()
    {
        const string minOs = "<key>MinimumOSVersion</key><string>$(IPHONEOS_DEPLOYMENT_TARGET)</string>";
        IdsOf($"<key>NSAllowsArbitraryLoads</key>{True}<key>NSAllowsLocalNetworking</key>{True}", minOs)
            .Should().Contain("ATS-UNRESOLVED-VARIABLE@MinimumOSVersion");
        IdsOf($"<key>NSAllowsArbitraryLoads</key>{True}", minOs).Should().Equal("ATS-ARBITRARY-LOADS@NSAllowsArbitraryLoads");
    }

    [Fact]
    public void Domain_cleartext_fails_once_per_domain_with_its_key_path()
    {
        var findings = Scan(WithAts(Domain("api.example.com", $"<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}")));
        var f = findings.Single();
        f.RuleId.Should().Be(RuleCatalog.AtsDomainInsecureHttp);
        f.Domain.Should().Be("api.example.com");
        f.Location.Should().Be("Info.plist:NSAppTransportSecurity/NSExceptionDomains/api.example.com/NSExceptionAllowsInsecureHTTPLoads");
        f.Evidence.Should().Be("NSExceptionAllowsInsecureHTTPLoads = true");

        IdsOf(Domain("api.example.com", $"<key>NSExceptionAllowsInsecureHTTPLoads</key>{False}")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("NSTemporaryExceptionAllowsInsecureHTTPLoads", "<true/>", "ATS-DOMAIN-INSECURE-HTTP@a.example.com")]
    [InlineData("NSThirdPartyExceptionAllowsInsecureHTTPLoads", "<true/>", "ATS-DOMAIN-INSECURE-HTTP@a.example.com")]
    [InlineData("NSTemporaryExceptionMinimumTLSVersion", "<string>TLSv1.0</string>", "ATS-DOMAIN-WEAK-TLS@a.example.com")]
    [InlineData("NSThirdPartyExceptionMinimumTLSVersion", "<string>TLSv1.1</string>", "ATS-DOMAIN-WEAK-TLS@a.example.com")]
    [InlineData("NSTemporaryExceptionRequiresForwardSecrecy", "<false/>", "ATS-DOMAIN-NO-FORWARD-SECRECY@a.example.com")]
    [InlineData("NSThirdPartyExceptionRequiresForwardSecrecy", "<false/>", "ATS-DOMAIN-NO-FORWARD-SECRECY@a.example.com")]
    public void Legacy_keys_are_evaluated_as_their_modern_twin(string key, string value, string expected)
    {
        IdsOf(Domain("a.example.com", $"<key>{key}</key>{value}")).Should().BeEquivalentTo([expected, $"ATS-LEGACY-KEY@{key}"]);
    }

    [Fact]
    public void Legacy_key_with_a_harmless_value_is_still_reported_as_legacy_only()
    {
        IdsOf(Domain("a.example.com", $"<key>NSTemporaryExceptionRequiresForwardSecrecy</key>{True}"))
            .Should().Equal("ATS-LEGACY-KEY@NSTemporaryExceptionRequiresForwardSecrecy");
    }

    [Fact]
    public void Modern_and_legacy_twin_disagreeing_use_the_weaker_value()
    {
        var info = WithAts(Domain("a.example.com",
            $"<key>NSExceptionAllowsInsecureHTTPLoads</key>{False}<key>NSTemporaryExceptionAllowsInsecureHTTPLoads</key>{True}"));
        AtsPolicy.Evaluate(info).IsCleartextAllowed("a.example.com").Should().BeTrue();
        Scan(info).Single(f => f.RuleId == RuleCatalog.AtsDomainInsecureHttp).Evidence
            .Should().Be("NSTemporaryExceptionAllowsInsecureHTTPLoads = true");
    }

    [Theory]
    [InlineData("TLSv1.0", true)]
    [InlineData("TLSv1.1", true)]
    [InlineData("TLSv1.2", false)]
    [InlineData("TLSv1.3", false)]
    public void Weak_tls_fires_for_1_0_and_1_1_only(string version, bool fires)
    {
        var ids = IdsOf(Domain("a.example.com", $"<key>NSExceptionMinimumTLSVersion</key><string>{version}</string>"));
        if (fires) ids.Should().Equal("ATS-DOMAIN-WEAK-TLS@a.example.com");
        else ids.Should().BeEmpty();
    }

    [Theory]
    [InlineData("<string>TLSv1.5</string>")]
    [InlineData("<string>TLSv1</string>")]
    [InlineData("<real>1.2</real>")]
    public void Unknown_tls_value_is_invalid_and_keeps_the_tls_1_2_default(string value)
    {
        // Changed reading: Apple's reader maps an unknown value to version 0 and keeps TLS 1.2 (SecProtocolConfiguration.m),
        // so no ATS-DOMAIN-WEAK-TLS; the invalid value is still reported. See docs/rules.md, "Values of the wrong type".
        var info = WithAts(Domain("a.example.com", $"<key>NSExceptionMinimumTLSVersion</key>{value}"));
        Ids(Scan(info)).Should().Equal("ATS-INVALID-VALUE@NSExceptionMinimumTLSVersion");
        Scan(info).Single(f => f.RuleId == RuleCatalog.AtsInvalidValue).Message.Should().Contain("keeps the TLS 1.2 default").And.NotContain("TLS 1.0");
        AtsPolicy.Evaluate(info).MinimumTls("a.example.com").Should().Be(TlsVersion.Tls12);
    }

    [Fact]
    public void Forward_secrecy_off_fails_and_on_or_absent_passes()
    {
        IdsOf(Domain("a.example.com", $"<key>NSExceptionRequiresForwardSecrecy</key>{False}")).Should().Equal("ATS-DOMAIN-NO-FORWARD-SECRECY@a.example.com");
        IdsOf(Domain("a.example.com", $"<key>NSExceptionRequiresForwardSecrecy</key>{True}")).Should().BeEmpty();
        IdsOf(Domain("a.example.com", "")).Should().BeEmpty();
    }

    [Fact]
    public void String_no_for_forward_secrecy_is_invalid_and_ignored_so_forward_secrecy_stays_on()
    {
        // Changed reading: BOOLEAN_FOR_KEY ignores a string, so the default YES applies; the message says the text reads NO.
        var findings = Scan(WithAts(Domain("a.example.com", "<key>NSExceptionRequiresForwardSecrecy</key><string>NO</string>")));
        Ids(findings).Should().Equal("ATS-INVALID-VALUE@NSExceptionRequiresForwardSecrecy");
        findings.Single().Message.Should().Contain("default YES applies").And.Contain("reads as NO to a human");
    }

    [Fact]
    public void Integer_one_for_forward_secrecy_is_invalid_but_keeps_it_on()
    {
        IdsOf(Domain("a.example.com", "<key>NSExceptionRequiresForwardSecrecy</key><integer>1</integer>"))
            .Should().Equal("ATS-INVALID-VALUE@NSExceptionRequiresForwardSecrecy");
    }

    [Fact]
    public void String_yes_for_arbitrary_loads_is_ignored_by_ios_and_reported()
    {
        // Changed reading: ATS_VALUE_FOR_KEY ignores a string (kATSGlobalKeyNotPresent), so ATS stays on; the reviewer is
        // pointed at the key because the text says YES.
        var findings = Scan(WithAts("<key>NSAllowsArbitraryLoads</key><string>YES</string>"));
        Ids(findings).Should().Equal("ATS-INVALID-VALUE@NSAllowsArbitraryLoads");
        findings.Single().Message.Should().Contain("ignores it").And.Contain("reads as YES to a human").And.Contain("<true/>");
        AtsPolicy.Evaluate(WithAts("<key>NSAllowsArbitraryLoads</key><string>YES</string>")).IsCleartextAllowed("example.com").Should().BeFalse();
    }

    [Fact]
    public void String_no_for_arbitrary_loads_counts_as_off_unlike_mobsf()
    {
        IdsOf("<key>NSAllowsArbitraryLoads</key><string>NO</string>").Should().Equal("ATS-INVALID-VALUE@NSAllowsArbitraryLoads");
        IdsOf("<key>NSAllowsArbitraryLoads</key><integer>1</integer>")
            .Should().BeEquivalentTo(["ATS-ARBITRARY-LOADS@NSAllowsArbitraryLoads", "ATS-INVALID-VALUE@NSAllowsArbitraryLoads"]);
        IdsOf("<key>NSAllowsArbitraryLoads</key><integer>0</integer>").Should().Equal("ATS-INVALID-VALUE@NSAllowsArbitraryLoads");
        // [@2 isEqual:@YES] is NO: only a number equal to 1 switches the key on.
        IdsOf("<key>NSAllowsArbitraryLoads</key><integer>2</integer>").Should().Equal("ATS-INVALID-VALUE@NSAllowsArbitraryLoads");
    }

    [Fact]
    public void A_value_that_cannot_be_a_boolean_uses_the_default()
    {
        var findings = Scan(WithAts("<key>NSAllowsArbitraryLoads</key><dict/>"));
        Ids(findings).Should().Equal("ATS-INVALID-VALUE@NSAllowsArbitraryLoads");
        findings[0].Message.Should().Contain("default NO");
    }

    [Fact]
    public void Includes_subdomains_warns_only_with_a_weakening_exception()
    {
        IdsOf(Domain("example.com", $"<key>NSIncludesSubdomains</key>{True}<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}"))
            .Should().BeEquivalentTo(["ATS-DOMAIN-INSECURE-HTTP@example.com", "ATS-DOMAIN-SUBDOMAINS@example.com"]);
        IdsOf(Domain("example.com", $"<key>NSIncludesSubdomains</key>{True}<key>NSRequiresCertificateTransparency</key>{True}")).Should().BeEmpty();
        IdsOf(Domain("example.com", $"<key>NSIncludesSubdomains</key>{False}<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}"))
            .Should().Equal("ATS-DOMAIN-INSECURE-HTTP@example.com");
    }

    [Fact]
    public void Certificate_transparency_key_is_known_and_never_a_finding_by_itself()
    {
        // MobSF warns on every exception domain lacking NSRequiresCertificateTransparency and ignores <true/>; ATS defaults it to NO.
        IdsOf(Domain("example.com", $"<key>NSRequiresCertificateTransparency</key>{True}")).Should().BeEmpty();
        IdsOf(Domain("example.com", $"<key>NSRequiresCertificateTransparency</key>{False}")).Should().BeEmpty();
        AtsPolicy.Evaluate(WithAts(Domain("example.com", $"<key>NSRequiresCertificateTransparency</key>{True}")))
            .Exceptions.Single().RequiresCertificateTransparency.Should().BeTrue();
    }

    [Fact]
    public void Unknown_keys_are_reported_with_a_suggestion_when_close()
    {
        var findings = Scan(WithAts($"<key>NSAllowsArbitraryLoad</key>{True}"));
        Ids(findings).Should().Equal("ATS-UNKNOWN-KEY@NSAllowsArbitraryLoad");
        findings[0].Message.Should().Contain("Did you mean NSAllowsArbitraryLoads?");
        AtsPolicy.Evaluate(WithAts($"<key>NSAllowsArbitraryLoad</key>{True}")).IsCleartextAllowed("x.example.com").Should().BeFalse();
    }

    [Fact]
    public void Mastg_demo_local_networking_key_is_not_an_apple_key()
    {
        var findings = Scan(WithAts($"<key>NSAllowsArbitraryLoadsForLocalNetworking</key>{True}"));
        Ids(findings).Should().Equal("ATS-UNKNOWN-KEY@NSAllowsArbitraryLoadsForLocalNetworking");
    }

    [Fact]
    public void Unknown_domain_level_key_and_misplaced_domain_key_are_reported()
    {
        IdsOf(Domain("a.example.com", $"<key>NSExceptionAllowsLocalNetworking</key>{True}")).Should().Equal("ATS-UNKNOWN-KEY@NSExceptionAllowsLocalNetworking");
        IdsOf($"<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}").Should().Equal("ATS-UNKNOWN-KEY@NSExceptionAllowsInsecureHTTPLoads");
        IdsOf(Domain("a.example.com", $"<key>NSIncludesSubdomains</key>{True}")).Should().BeEmpty();
    }

    [Fact]
    public void Misspelt_ats_dictionary_name_is_reported()
    {
        Ids(Scan(Info($"<key>NSAppTransportSecurities</key><dict><key>NSAllowsArbitraryLoads</key>{True}</dict>")))
            .Should().Equal("ATS-UNKNOWN-KEY@NSAppTransportSecurities");
    }

    [Fact]
    public void Unresolved_variable_in_a_domain_key_warns_but_not_in_cfbundle_keys()
    {
        var ids = IdsOf(Domain("$(API_HOST)", $"<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}"),
            "<key>CFBundleName</key><string>$(PRODUCT_NAME)</string>");
        ids.Should().BeEquivalentTo(["ATS-DOMAIN-INSECURE-HTTP@$(API_HOST)", "ATS-UNRESOLVED-VARIABLE@$(API_HOST)"]);
        IdsOf(Domain("${API_HOST:rfc1034identifier}", "")).Should().Equal("ATS-UNRESOLVED-VARIABLE@${API_HOST:rfc1034identifier}");
    }

    [Fact]
    public void Unresolved_variable_in_a_tls_value_warns_and_keeps_the_default()
    {
        // Changed reading: read literally "$(MIN_TLS)" is an unknown version, which iOS ignores (TLS 1.2 stays).
        IdsOf(Domain("a.example.com", "<key>NSExceptionMinimumTLSVersion</key><string>$(MIN_TLS)</string>"))
            .Should().Equal("ATS-UNRESOLVED-VARIABLE@NSExceptionMinimumTLSVersion");
    }

    [Fact]
    public void A_domain_key_with_upper_case_never_matches_and_only_the_lower_case_entry_applies()
    {
        // Changed reading: keys are looked up as written (xpc_dictionary_get_dictionary), so "Example.com" is an invalid
        // value that matches nothing; "example.com" governs the host.
        var info = WithAts($"<key>NSExceptionDomains</key><dict><key>Example.com</key><dict/><key>example.com</key><dict><key>NSExceptionAllowsInsecureHTTPLoads</key>{True}</dict></dict>");
        Ids(Scan(info)).Should().BeEquivalentTo(["ATS-INVALID-VALUE@Example.com", "ATS-DOMAIN-INSECURE-HTTP@example.com"]);
        AtsPolicy.Evaluate(info).IsCleartextAllowed("EXAMPLE.com").Should().BeTrue("host names reach ATS in lower case");
    }

    [Fact]
    public void Domain_keys_that_can_never_match_are_invalid_and_not_evaluated()
    {
        IdsOf(Domain("http://example.com", $"<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}")).Should().Equal("ATS-INVALID-VALUE@http://example.com");
        IdsOf(Domain("*.example.com", $"<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}")).Should().Equal("ATS-INVALID-VALUE@*.example.com");
        IdsOf(Domain("example.com:8080", "")).Should().Equal("ATS-INVALID-VALUE@example.com:8080");
        IdsOf(Domain("192.168.1.0/24", $"<key>NSExceptionAllowsInsecureHTTPLoads</key>{True}")).Should().Equal("ATS-DOMAIN-INSECURE-HTTP@192.168.1.0/24");
    }

    [Fact]
    public void Wrongly_typed_containers_are_invalid()
    {
        Ids(Scan(Info("<key>NSAppTransportSecurity</key><string>off</string>"))).Should().Equal("ATS-INVALID-VALUE@NSAppTransportSecurity");
        IdsOf("<key>NSExceptionDomains</key><array/>").Should().Equal("ATS-INVALID-VALUE@NSExceptionDomains");
        IdsOf("<key>NSExceptionDomains</key><dict><key>a.example.com</key><true/></dict>").Should().Equal("ATS-INVALID-VALUE@a.example.com");
    }

    [Fact]
    public void Ats_dictionary_written_twice_is_noted_and_the_last_one_wins()
    {
        var info = Info($"<key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key>{True}</dict>" +
                        "<key>NSAppTransportSecurity</key><dict><key>NSAllowsLocalNetworking</key><true/></dict>");
        Ids(Scan(info)).Should().BeEquivalentTo(["ATS-INVALID-VALUE@NSAppTransportSecurity", "ATS-LOCAL-NETWORKING@NSAllowsLocalNetworking"]);
    }

    [Theory]
    [InlineData("iphoneos8.4", true)]
    [InlineData("iphoneos9.0", false)]
    [InlineData("iphoneos17.2", false)]
    [InlineData("macosx10.10", true)]
    [InlineData("macosx10.11", false)]
    public void Old_sdk_in_the_plist_disables_ats(string sdkName, bool fires)
    {
        var ids = Ids(Scan(Info($"<key>DTSDKName</key><string>{sdkName}</string>")));
        if (fires) ids.Should().Equal("ATS-DISABLED-OLD-SDK@DTSDKName");
        else ids.Should().BeEmpty();
    }

    [Fact]
    public void Old_sdk_falls_back_to_dt_platform_version_and_mach_o_overrides_the_plist()
    {
        Ids(Scan(Info("<key>DTPlatformVersion</key><string>8.1</string>"))).Should().Equal("ATS-DISABLED-OLD-SDK@DTPlatformVersion");

        var info = Info("<key>DTSDKName</key><string>iphoneos17.0</string>");
        var oldBinary = new Mstg.MachO.BuildVersion(Mstg.MachO.MachOPlatform.iOS, new Version(8, 0), new Version(8, 4), "LC_VERSION_MIN_IPHONEOS");
        var f = AtsRules.Evaluate(info, BundleTarget.Read(info, oldBinary), Bundle, executable: "App").Single();
        f.RuleId.Should().Be(RuleCatalog.AtsDisabledOldSdk);
        f.Location.Should().Be("App:LC_VERSION_MIN_IPHONEOS");
        f.Evidence.Should().Contain("8.4");
    }

    [Fact]
    public void Demo_0083_gets_every_expected_rule()
    {
        var ids = Ids(Scan(WithAts("""
            <key>NSAllowsArbitraryLoads</key><true/>
            <key>NSAllowsArbitraryLoadsInWebContent</key><true/>
            <key>NSAllowsArbitraryLoadsForMedia</key><true/>
            <key>NSAllowsArbitraryLoadsForLocalNetworking</key><true/>
            """)));
        ids.Should().Equal(
            "ATS-ARBITRARY-LOADS-IGNORED@NSAllowsArbitraryLoads",
            "ATS-ARBITRARY-LOADS-MEDIA@NSAllowsArbitraryLoadsForMedia",
            "ATS-ARBITRARY-LOADS-WEB-CONTENT@NSAllowsArbitraryLoadsInWebContent",
            "ATS-UNKNOWN-KEY@NSAllowsArbitraryLoadsForLocalNetworking");
    }
}

public class AtsRulesBundleContextTests
{
    [Fact]
    public void Rule_runs_through_the_bundle_rule_interface()
    {
        var context = TestBundles.Context(InfoPlists.WithAts("<key>NSAllowsArbitraryLoads</key><true/>"));
        var f = new AtsRules().Evaluate(context).Single();
        f.RuleId.Should().Be(RuleCatalog.AtsArbitraryLoads);
        f.Bundle.Should().Be(InfoPlists.Bundle);
        new AtsRules().Evaluate(TestBundles.Context(InfoPlists.WithAts(""))).Should().BeEmpty();
    }

    [Fact]
    public void Bundle_rule_takes_deployment_target_and_sdk_from_the_scanned_binary()
    {
        var info = InfoPlists.WithAts("<key>NSAllowsArbitraryLoads</key><true/><key>NSAllowsLocalNetworking</key><true/>",
            "<key>MinimumOSVersion</key><string>12.0</string><key>DTSDKName</key><string>iphoneos17.0</string>");
        var rule = new AtsRules();

        var fromPlist = rule.Evaluate(TestBundles.Context(info)).Single(f => f.RuleId == RuleCatalog.AtsArbitraryLoadsIgnored);
        fromPlist.Verdict.Should().Be(Verdict.Warn);

        var oldBinary = new Mstg.MachO.BuildVersion(Mstg.MachO.MachOPlatform.iOS, new Version(8, 0), new Version(8, 4), "LC_VERSION_MIN_IPHONEOS");
        var fromBinary = rule.Evaluate(TestBundles.Context(info, build: oldBinary)).ToList();
        fromBinary.Single(f => f.RuleId == RuleCatalog.AtsArbitraryLoadsIgnored).Verdict.Should().Be(Verdict.Fail);
        fromBinary.Should().Contain(f => f.RuleId == RuleCatalog.AtsDisabledOldSdk);
    }
}
