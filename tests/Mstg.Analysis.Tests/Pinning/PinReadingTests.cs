using Mstg.Analysis.Pinning;
using static Mstg.Analysis.Tests.Ats.InfoPlists;

namespace Mstg.Analysis.Tests.Pinning;

/// <summary>
/// Pin coverage and malformed pins read the way Apple's <c>parseNSPinnedDomains</c> (Security, SecPolicy.c) reads
/// them, one table per class, both directions. docs/rules.md cites the source of each row.
/// </summary>
public class PinReadingTests
{
    private const string PinA = "C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=";
    private const string PinB = "oq+Uj+2TYMg13txh1pXW0/VLAkonU3TnoPr5hfxPZVc=";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static string Identities(string key, params string[] pins) =>
        $"<key>{key}</key><array>{string.Concat(pins.Select(p => $"<dict><key>SPKI-SHA256-BASE64</key><string>{p}</string></dict>"))}</array>";

    private static string Pinned(string domain, string includes, string identities) =>
        $"<key>NSPinnedDomains</key><dict><key>{domain}</key><dict>{(includes.Length == 0 ? "" : $"<key>NSIncludesSubdomains</key>{includes}")}{identities}</dict></dict>";

    // ------------------------------------------------------------ pin coverage

    /// <summary>NSIncludesSubdomains value, host, whether the host is pinned, whether the value is reported.</summary>
    public static TheoryData<string, string, bool, bool> Coverage => new()
    {
        { "<true/>", "example.com", true, false },
        { "<true/>", "api.example.com", true, false },
        { "<true/>", "API.Example.COM", true, false },     // CFStringCompare(..., kCFCompareCaseInsensitive)
        { "<true/>", "api.example.com.", true, false },    // the trailing dot is stripped first
        { "<true/>", "a.api.example.com", false, false },  // only the immediate parent is compared (CopyParentDomainNameFromHostName)
        { "<true/>", "notexample.com", false, false },
        { "<false/>", "api.example.com", false, false },
        { "", "api.example.com", false, false },
        { "<string>YES</string>", "api.example.com", false, true }, // compared with kCFBooleanTrue: a string is not true
        { "<string>YES</string>", "example.com", true, true },      // the exact host stays pinned
        { "<integer>1</integer>", "api.example.com", false, true }, // a CFNumber is not kCFBooleanTrue either
    };

    [Theory]
    [MemberData(nameof(Coverage))]
    public void NSIncludesSubdomains_pins_one_label_down_and_only_as_boolean_true(string includes, string host, bool pinned, bool reported)
    {
        var info = WithAts(Pinned("example.com", includes, Identities("NSPinnedCAIdentities", PinA, PinB)));
        PinningConfiguration.Read(info).IsPinned(host, Now).Should().Be(pinned, "{0} with NSIncludesSubdomains {1}", host, includes);
        var findings = PinningConfigRules.Evaluate(info, Now, Bundle);
        findings.Any(f => f.RuleId == RuleCatalog.AtsInvalidValue && f.Location.EndsWith("/NSIncludesSubdomains", StringComparison.Ordinal))
            .Should().Be(reported);
        if (reported) findings.Single().Message.Should().Contain("subdomains of example.com are not pinned");
    }

    [Fact]
    public void Every_matching_ats_entry_adds_its_pins()
    {
        // parseNSPinnedDomains appends the identities of every entry that matches (the exact host and its parent), so
        // a usable parent pin set pins the host even when the exact entry's pins are all malformed.
        var both = WithAts("<key>NSPinnedDomains</key><dict>" +
                           $"<key>api.example.com</key><dict>{Identities("NSPinnedCAIdentities", "bad")}</dict>" +
                           $"<key>example.com</key><dict><key>NSIncludesSubdomains</key><true/>{Identities("NSPinnedCAIdentities", PinA, PinB)}</dict></dict>");
        PinningConfiguration.Read(both).IsPinned("api.example.com", Now).Should().BeTrue();
        var exactOnly = WithAts(Pinned("api.example.com", "", Identities("NSPinnedCAIdentities", "bad")));
        PinningConfiguration.Read(exactOnly).IsPinned("api.example.com", Now).Should().BeFalse();
    }

    /// <summary>Info.plist extra keys, whether PIN-ATS-UNSUPPORTED-OS fires.</summary>
    public static TheoryData<string, bool> DeploymentTargets => new()
    {
        { "<key>MinimumOSVersion</key><string>13.0</string>", true },
        { "<key>MinimumOSVersion</key><string>12.4</string>", true },
        { "<key>MinimumOSVersion</key><string>14.0</string>", false },
        { "<key>MinimumOSVersion</key><string>17.0</string>", false },
        { "", false },                                                      // unknown target: nothing to compare
        { "<key>LSMinimumSystemVersion</key><string>10.15</string>", true }, // macOS: NSPinnedDomains from 11.0
        { "<key>LSMinimumSystemVersion</key><string>11.0</string>", false },
        // TrustKit pins older systems too.
        { $"<key>MinimumOSVersion</key><string>13.0</string><key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict><key>example.com</key><dict><key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array></dict></dict></dict>", false },
    };

    [Theory]
    [MemberData(nameof(DeploymentTargets))]
    public void NSPinnedDomains_as_the_only_pinning_below_ios_14_is_a_warning(string other, bool fires)
    {
        var info = WithAts(Pinned("example.com", "", Identities("NSPinnedCAIdentities", PinA, PinB)), other);
        var f = PinningConfigRules.Evaluate(info, Now, Bundle).Where(x => x.RuleId == RuleCatalog.PinAtsUnsupportedOs).ToList();
        f.Should().HaveCount(fires ? 1 : 0);
        if (fires)
        {
            f[0].Verdict.Should().Be(Verdict.Warn);
            f[0].Message.Should().Contain("example.com is not pinned");
        }
    }

    [Fact]
    public void No_NSPinnedDomains_means_no_ios_14_warning() =>
        PinningConfigRules.Evaluate(WithAts("", "<key>MinimumOSVersion</key><string>12.0</string>"), Now, Bundle).Should().BeEmpty();

    // ------------------------------------------------------------ malformed pins

    /// <summary>pin list (ATS CA identities), whether the domain is pinned, the verdicts of PIN-INVALID-HASH in order.</summary>
    public static TheoryData<string[], bool, Verdict[]> AtsPinLists => new()
    {
        { [PinA, PinB], true, [] },
        { [PinA, "abc"], true, [Verdict.Warn] },           // the bad entry is skipped, PinA still pins
        { ["abc", PinA, "xyz"], true, [Verdict.Warn, Verdict.Warn] },
        { ["abc"], false, [Verdict.Fail] },                // no usable pin: every connection fails or nothing is pinned
        { ["abc", "xyz"], false, [Verdict.Fail, Verdict.Fail] },
    };

    [Theory]
    [MemberData(nameof(AtsPinLists))]
    public void One_usable_pin_keeps_the_domain_pinned(string[] pins, bool pinned, Verdict[] verdicts)
    {
        var info = WithAts(Pinned("api.example.com", "", Identities("NSPinnedCAIdentities", pins)));
        PinningConfiguration.Read(info).IsPinned("api.example.com", Now).Should().Be(pinned);
        var invalid = PinningConfigRules.Evaluate(info, Now, Bundle).Where(f => f.RuleId == RuleCatalog.PinInvalidHash).ToList();
        invalid.Select(f => f.Verdict).Should().Equal(verdicts);
        invalid.Where(f => f.Verdict == Verdict.Warn).All(f => f.Severity == Severity.Low && f.Message.Contains("still pinned")).Should().BeTrue();
        invalid.Where(f => f.Verdict == Verdict.Fail).All(f => f.Severity == Severity.High).Should().BeTrue();
    }

    [Fact]
    public void Each_pin_list_is_judged_on_its_own()
    {
        // iOS checks the CA and the leaf list separately; a leaf list with no usable pin can never match, whatever the CA list holds.
        var info = WithAts(Pinned("api.example.com", "", Identities("NSPinnedCAIdentities", PinA, PinB) + Identities("NSPinnedLeafIdentities", "abc")));
        PinningConfigRules.Evaluate(info, Now, Bundle).Single(f => f.RuleId == RuleCatalog.PinInvalidHash).Verdict.Should().Be(Verdict.Fail);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TrustKit_lists_follow_the_same_rule(bool withGoodPin)
    {
        var hashes = withGoodPin ? $"<string>{PinA}</string><string>abc</string>" : "<string>abc</string>";
        var info = Info($"<key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict><key>api.example.com</key><dict><key>TSKPublicKeyHashes</key><array>{hashes}</array></dict></dict></dict>");
        PinningConfigRules.Evaluate(info, Now, Bundle).Single(f => f.RuleId == RuleCatalog.PinInvalidHash)
            .Verdict.Should().Be(withGoodPin ? Verdict.Warn : Verdict.Fail);
    }
}
