using Mstg.Analysis.Ats;
using static Mstg.Analysis.Tests.Ats.InfoPlists;
using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Tests.Ats;

/// <summary>The per-host questions the reports and the dynamic suite ask of the evaluated policy.</summary>
public class AtsPolicyTests
{
    private static AtsPolicy Policy(string ats, string other = "") => AtsPolicy.Evaluate(WithAts(ats, other));

    [Fact]
    public void Without_ats_keys_every_public_host_gets_the_defaults()
    {
        var policy = AtsPolicy.Evaluate(Info(""));
        policy.IsDeclared.Should().BeFalse();
        policy.IsCleartextAllowed("api.example.com").Should().BeFalse();
        policy.MinimumTls("api.example.com").Should().Be(TlsVersion.Tls12);
        policy.RequiresForwardSecrecy("api.example.com").Should().BeTrue();
    }

    [Fact]
    public void Subdomain_scope_follows_ns_includes_subdomains()
    {
        var withSubdomains = Policy(Domain("example.com", "<key>NSIncludesSubdomains</key><true/><key>NSExceptionAllowsInsecureHTTPLoads</key><true/>"));
        withSubdomains.IsCleartextAllowed("example.com").Should().BeTrue();
        withSubdomains.IsCleartextAllowed("deep.api.example.com").Should().BeTrue();
        withSubdomains.IsCleartextAllowed("notexample.com").Should().BeFalse();

        var exactOnly = Policy(Domain("example.com", "<key>NSExceptionAllowsInsecureHTTPLoads</key><true/>"));
        exactOnly.IsCleartextAllowed("example.com").Should().BeTrue();
        exactOnly.IsCleartextAllowed("api.example.com").Should().BeFalse();
    }

    [Fact]
    public void Upper_case_domain_keys_match_no_host()
    {
        // Changed reading: Apple's reader looks keys up as written; a host reaches it in lower case (docs/rules.md, "Domain keys").
        var upper = Policy(Domain("API.Example.COM", "<key>NSExceptionMinimumTLSVersion</key><string>TLSv1.1</string>"));
        upper.MinimumTls("api.example.com").Should().Be(TlsVersion.Tls12);
        upper.Exceptions.Single().NoMatchReason.Should().Contain("not lower-case");
        var lower = Policy(Domain("api.example.com", "<key>NSExceptionMinimumTLSVersion</key><string>TLSv1.1</string>"));
        lower.MinimumTls("api.example.com").Should().Be(TlsVersion.Tls11);
        lower.MinimumTls("Api.Example.Com").Should().Be(TlsVersion.Tls11, "a query host is lower-cased before the lookup");
    }

    [Fact]
    public void The_nearest_entry_wins_over_a_parent_with_subdomains()
    {
        var policy = Policy("""
            <key>NSExceptionDomains</key><dict>
              <key>example.com</key><dict><key>NSIncludesSubdomains</key><true/><key>NSExceptionAllowsInsecureHTTPLoads</key><true/></dict>
              <key>secure.example.com</key><dict><key>NSExceptionRequiresForwardSecrecy</key><false/></dict>
            </dict>
            """);
        policy.IsCleartextAllowed("secure.example.com").Should().BeFalse();
        policy.RequiresForwardSecrecy("secure.example.com").Should().BeFalse();
        policy.IsCleartextAllowed("www.example.com").Should().BeTrue();
        policy.ExceptionFor("www.example.com")!.Domain.Should().Be("example.com");
        // secure.example.com has no NSIncludesSubdomains, so its subdomains fall back to the parent.
        policy.ExceptionFor("a.secure.example.com")!.Domain.Should().Be("example.com");
    }

    [Fact]
    public void Trailing_dot_is_significant()
    {
        var policy = Policy(Domain("example.com.", "<key>NSExceptionAllowsInsecureHTTPLoads</key><true/>"));
        policy.IsCleartextAllowed("example.com.").Should().BeTrue();
        policy.IsCleartextAllowed("example.com").Should().BeFalse();
    }

    [Fact]
    public void Local_hosts_are_outside_ats_from_ios_10_on()
    {
        var policy = Policy("");
        policy.IsCleartextAllowed("printer.local").Should().BeTrue();
        policy.IsCleartextAllowed("nas").Should().BeTrue();
        policy.IsCleartextAllowed("192.168.1.10").Should().BeTrue();
        policy.IsCleartextAllowed("192.168.1.10", new Version(9, 3)).Should().BeFalse();
        AtsPolicy.IsLocalHost("api.example.com").Should().BeFalse();
    }

    [Fact]
    public void Ip_range_entries_cover_addresses_inside_them()
    {
        var policy = Policy(Domain("10.0.0.0/8", "<key>NSExceptionMinimumTLSVersion</key><string>TLSv1.0</string>"));
        policy.ExceptionFor("10.1.2.3")!.Domain.Should().Be("10.0.0.0/8");
        policy.ExceptionFor("11.1.2.3").Should().BeNull();
    }

    [Fact]
    public void Web_content_and_media_switches_apply_to_their_traffic_only()
    {
        var policy = Policy("<key>NSAllowsArbitraryLoadsInWebContent</key><true/>");
        policy.IsCleartextAllowed("news.example.com", traffic: AtsTraffic.WebContent).Should().BeTrue();
        policy.IsCleartextAllowed("news.example.com", traffic: AtsTraffic.Media).Should().BeFalse();
        policy.IsCleartextAllowed("news.example.com").Should().BeFalse();
    }

    [Fact]
    public void Ios_26_ignores_tls_1_0_and_1_1_exceptions()
    {
        var policy = Policy(Domain("old.example.com", "<key>NSExceptionMinimumTLSVersion</key><string>TLSv1.0</string>"));
        policy.MinimumTls("old.example.com").Should().Be(TlsVersion.Tls10);
        policy.MinimumTls("old.example.com", new Version(26, 0)).Should().Be(TlsVersion.Tls12);
    }

    [Fact]
    public void Mac_plists_use_the_macos_thresholds()
    {
        var info = WithAts("<key>NSAllowsArbitraryLoads</key><true/><key>NSAllowsLocalNetworking</key><true/>",
            "<key>LSMinimumSystemVersion</key><string>10.11</string>");
        var findings = Scan(info);
        findings.Single(f => f.RuleId == RuleCatalog.AtsArbitraryLoadsIgnored).Verdict.Should().Be(Verdict.Fail);

        var newer = WithAts("<key>NSAllowsArbitraryLoads</key><true/><key>NSAllowsLocalNetworking</key><true/>",
            "<key>LSMinimumSystemVersion</key><string>10.13</string>");
        Scan(newer).Single(f => f.RuleId == RuleCatalog.AtsArbitraryLoadsIgnored).Verdict.Should().Be(Verdict.Warn);
    }

    [Fact]
    public void Ios_plist_with_a_stray_ls_minimum_system_version_stays_ios()
    {
        var target = BundleTarget.Read(Info("<key>LSRequiresIPhoneOS</key><true/><key>LSMinimumSystemVersion</key><string>12.0</string>"));
        target.Platform.Should().Be(TargetPlatform.iOS);
        target.MinimumOs.Should().BeNull();
    }

    [Fact]
    public void An_app_built_with_a_pre_ios_9_sdk_gets_no_ats_at_all()
    {
        var old = AtsPolicy.Evaluate(Info("<key>DTSDKName</key><string>iphoneos8.4</string>"));
        old.AtsDisabledBySdk.Should().BeTrue();
        old.IsCleartextAllowed("api.example.com").Should().BeTrue();
        old.MinimumTls("api.example.com").Should().BeNull();
        old.RequiresForwardSecrecy("api.example.com").Should().BeFalse();

        var current = AtsPolicy.Evaluate(Info("<key>DTSDKName</key><string>iphoneos9.0</string>"));
        current.AtsDisabledBySdk.Should().BeFalse();
        current.IsCleartextAllowed("api.example.com").Should().BeFalse();
    }
}
