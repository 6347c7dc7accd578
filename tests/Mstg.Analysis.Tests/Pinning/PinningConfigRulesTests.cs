using Mstg.Analysis.Pinning;
using Mstg.Analysis.Tests.Ats;
using static Mstg.Analysis.Tests.Ats.InfoPlists;
using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Tests.Pinning;

public class PinningConfigRulesTests
{
    // Real SPKI SHA-256 values (base64 of 32 bytes); the first is the one MASTG-DEMO-0148 uses.
    private const string PinA = "C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=";
    private const string PinB = "oq+Uj+2TYMg13txh1pXW0/VLAkonU3TnoPr5hfxPZVc=";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static string Identities(string key, params string[] pins) =>
        $"<key>{key}</key><array>{string.Concat(pins.Select(p => $"<dict><key>SPKI-SHA256-BASE64</key><string>{p}</string></dict>"))}</array>";

    private static string AtsPin(string domain, string body) =>
        $"<key>NSPinnedDomains</key><dict><key>{domain}</key><dict>{body}</dict></dict>";

    private static string TrustKit(string domain, string body) =>
        $"<key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict><key>{domain}</key><dict>{body}</dict></dict></dict>";

    private static IReadOnlyList<Finding> ScanAts(string ats) => PinningConfigRules.Evaluate(WithAts(ats), Now, Bundle);
    private static IReadOnlyList<Finding> ScanTop(string top) => PinningConfigRules.Evaluate(Info(top), Now, Bundle);

    [Fact]
    public void Two_valid_ats_pins_give_no_findings() =>
        ScanAts(AtsPin("api.example.com", Identities("NSPinnedCAIdentities", PinA, PinB))).Should().BeEmpty();

    [Fact]
    public void A_single_ats_pin_has_no_backup()
    {
        var f = ScanAts(AtsPin("api.example.com", Identities("NSPinnedCAIdentities", PinA))).Single();
        f.RuleId.Should().Be(RuleCatalog.PinNoBackup);
        f.Verdict.Should().Be(Verdict.Warn);
        f.Domain.Should().Be("api.example.com");
        f.Location.Should().Be("Info.plist:NSAppTransportSecurity/NSPinnedDomains/api.example.com/NSPinnedCAIdentities");
        f.Evidence.Should().Contain(PinA);
    }

    [Fact]
    public void The_same_pin_twice_is_still_no_backup() =>
        Ids(ScanAts(AtsPin("api.example.com", Identities("NSPinnedLeafIdentities", PinA, PinA)))).Should().Equal("PIN-NO-BACKUP@api.example.com");

    [Theory]
    [InlineData("abc")]
    [InlineData("C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8")] // 31 bytes, unpadded
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // 64 bytes: SHA-512 length
    [InlineData("not base64 at all!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    public void A_pin_that_is_not_base64_of_32_bytes_is_invalid(string pin)
    {
        var findings = ScanAts(AtsPin("api.example.com", Identities("NSPinnedCAIdentities", pin, PinB)));
        // The broken pin cannot serve as a backup, so the one good pin stands alone.
        Ids(findings).Should().Equal("PIN-INVALID-HASH@api.example.com", "PIN-NO-BACKUP@api.example.com");
        var f = findings.Single(x => x.RuleId == RuleCatalog.PinInvalidHash);
        // Changed verdict: iOS skips the bad entry and keeps PinB, so the domain is still pinned: a warning, not a fail.
        f.Verdict.Should().Be(Verdict.Warn);
        f.Severity.Should().Be(Severity.Low);
        f.Message.Should().Contain("still pinned");
        f.Location.Should().EndWith("NSPinnedCAIdentities/0/SPKI-SHA256-BASE64");
    }

    [Fact]
    public void Malformed_pin_entries_are_invalid()
    {
        Ids(ScanAts(AtsPin("a.example.com", "<key>NSPinnedCAIdentities</key><array/>"))).Should().Equal("PIN-INVALID-HASH@a.example.com");
        Ids(ScanAts(AtsPin("a.example.com", "<key>NSIncludesSubdomains</key><true/>"))).Should().Equal("PIN-INVALID-HASH@a.example.com");
        Ids(ScanAts(AtsPin("a.example.com", "<key>NSPinnedCAIdentities</key><string>x</string>"))).Should().Equal("PIN-INVALID-HASH@a.example.com");
        Ids(ScanAts(AtsPin("a.example.com", $"<key>NSPinnedCAIdentities</key><array><string>{PinA}</string></array>"))).Should().Equal("PIN-INVALID-HASH@a.example.com");
        Ids(ScanAts("<key>NSPinnedDomains</key><dict><key>a.example.com</key><true/></dict>")).Should().Equal("PIN-INVALID-HASH@a.example.com");
    }

    [Fact]
    public void Unknown_keys_inside_a_pinned_domain_are_reported()
    {
        var findings = ScanAts(AtsPin("a.example.com", Identities("NSPinnedCAIdentities", PinA, PinB) + "<key>NSIncludeSubdomains</key><true/>"));
        var f = findings.Single();
        f.RuleId.Should().Be(RuleCatalog.AtsUnknownKey);
        f.Message.Should().Contain("Did you mean NSIncludesSubdomains?");
    }

    [Fact]
    public void TrustKit_not_enforced_warns_and_enforced_passes()
    {
        var off = ScanTop(TrustKit("api.example.com", $"<key>TSKEnforcePinning</key><false/><key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array>"));
        var f = off.Single();
        f.RuleId.Should().Be(RuleCatalog.PinTrustKitNotEnforced);
        f.Location.Should().Be("Info.plist:TSKConfiguration/TSKPinnedDomains/api.example.com/TSKEnforcePinning");
        f.Evidence.Should().Be("TSKEnforcePinning = false");

        ScanTop(TrustKit("api.example.com", $"<key>TSKEnforcePinning</key><true/><key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array>"))
            .Should().BeEmpty();
    }

    // Issue 8: report-only and expired TrustKit pins are not pinning. At L2, where pinning is required, that fails; at L1,
    // where it is not, it stays a warning. Enforced, unexpired pins give no finding at either level.
    public static TheoryData<string, string, Profile, string?, Verdict?> TrustKitCases => new()
    {
        { "report-only", "<key>TSKEnforcePinning</key><false/>", Profile.L2, RuleCatalog.PinTrustKitNotEnforced, Verdict.Fail },
        { "report-only", "<key>TSKEnforcePinning</key><false/>", Profile.L1, RuleCatalog.PinTrustKitNotEnforced, Verdict.Warn },
        // A string where a Boolean belongs is read like -boolValue: "NO" is false, so report-only too.
        { "report-only as a string", "<key>TSKEnforcePinning</key><string>NO</string>", Profile.L2, RuleCatalog.PinTrustKitNotEnforced, Verdict.Fail },
        { "expired", "<key>TSKExpirationDate</key><string>2026-05-31</string>", Profile.L2, RuleCatalog.PinTrustKitExpired, Verdict.Fail },
        { "expired", "<key>TSKExpirationDate</key><string>2026-05-31</string>", Profile.L1, RuleCatalog.PinTrustKitExpired, Verdict.Warn },
        { "enforced", "<key>TSKEnforcePinning</key><true/>", Profile.L2, null, null },
        { "enforced by default, expiring later", "<key>TSKExpirationDate</key><string>2027-01-01</string>", Profile.L2, null, null },
    };

    [Theory]
    [MemberData(nameof(TrustKitCases))]
    public void Report_only_and_expired_trustkit_fail_at_L2_and_warn_at_L1(string why, string keys, Profile profile, string? rule, Verdict? verdict)
    {
        var findings = PinningConfigRules.Evaluate(Info(TrustKit("api.example.com", keys + $"<key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array>")),
            Now, Bundle, profile: profile);
        if (rule is null)
        {
            findings.Should().BeEmpty(why);
            return;
        }
        var f = findings.Should().ContainSingle(why).Subject;
        f.RuleId.Should().Be(rule, why);
        f.Verdict.Should().Be(verdict!.Value, why);
        f.Message.Should().Contain(profile == Profile.L2 ? "not pinning" : "only required at L2");
    }

    [Fact]
    public void TrustKit_expiry_uses_the_scan_clock()
    {
        string Config(string date) => TrustKit("api.example.com",
            $"<key>TSKExpirationDate</key><string>{date}</string><key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array>");

        var expired = PinningConfigRules.Evaluate(Info(Config("2026-05-31")), Now, Bundle, profile: Profile.L2).Single();
        expired.RuleId.Should().Be(RuleCatalog.PinTrustKitExpired);
        expired.Verdict.Should().Be(Verdict.Fail);
        expired.Message.Should().Contain("2026-05-31");

        ScanTop(Config("2026-06-02")).Should().BeEmpty();
        // Same expiry, an earlier clock: not expired. Proves the rule reads ScanOptions.Now, not the wall clock.
        PinningConfigRules.Evaluate(Info(Config("2026-05-31")), new DateTimeOffset(2026, 5, 30, 0, 0, 0, TimeSpan.Zero), Bundle).Should().BeEmpty();
    }

    [Fact]
    public void TrustKit_unreadable_expiry_and_missing_hashes_are_malformed()
    {
        Ids(ScanTop(TrustKit("a.example.com", $"<key>TSKExpirationDate</key><string>31/12/2026</string><key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array>")))
            .Should().Equal("PIN-INVALID-HASH@a.example.com");
        Ids(ScanTop(TrustKit("a.example.com", "<key>TSKEnforcePinning</key><true/>"))).Should().Equal("PIN-INVALID-HASH@a.example.com");
        Ids(ScanTop("<key>TSKConfiguration</key><dict/>")).Should().Equal("PIN-INVALID-HASH@TSKPinnedDomains");
    }

    [Fact]
    public void TrustKit_single_pin_has_no_backup()
    {
        var f = ScanTop(TrustKit("a.example.com", $"<key>TSKPublicKeyHashes</key><array><string>{PinA}</string></array>")).Single();
        f.RuleId.Should().Be(RuleCatalog.PinNoBackup);
        f.Location.Should().EndWith("a.example.com/TSKPublicKeyHashes");
        f.Message.Should().Contain("TrustKit itself rejects");
    }

    [Fact]
    public void Rule_runs_through_the_bundle_rule_interface_with_scan_options_now()
    {
        var info = Info(TrustKit("api.example.com",
            $"<key>TSKExpirationDate</key><string>2020-01-01</string><key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array>"));
        var context = TestBundles.Context(info, new ScanOptions { Now = Now });
        Ids(new PinningConfigRules().Evaluate(context)).Should().Equal("PIN-TRUSTKIT-EXPIRED@api.example.com");
        Ids(new PinningConfigRules().Evaluate(TestBundles.Context(info, new ScanOptions { Now = new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero) })))
            .Should().BeEmpty();
    }

    [Fact]
    public void Build_variables_in_pinned_domains_and_pins_are_reported()
    {
        Ids(ScanAts(AtsPin("$(API_HOST)", Identities("NSPinnedCAIdentities", PinA, PinB)))).Should().Equal("ATS-UNRESOLVED-VARIABLE@$(API_HOST)");
        var findings = ScanAts(AtsPin("api.example.com", Identities("NSPinnedCAIdentities", "$(PRIMARY_PIN)", PinB)));
        findings.Single(f => f.RuleId == RuleCatalog.PinInvalidHash).Message.Should().Contain("unresolved build variable");
    }
}
