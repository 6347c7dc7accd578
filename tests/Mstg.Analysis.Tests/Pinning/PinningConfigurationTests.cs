using Mstg.Analysis.Pinning;
using static Mstg.Analysis.Tests.Ats.InfoPlists;

namespace Mstg.Analysis.Tests.Pinning;

public class PinningConfigurationTests
{
    private const string PinA = "C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=";
    private const string PinB = "oq+Uj+2TYMg13txh1pXW0/VLAkonU3TnoPr5hfxPZVc=";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_trustkit_subdomain_excluded_from_its_parent_is_not_pinned_by_the_parent()
    {
        var info = WithAts("", $"""
            <key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict>
              <key>example.com</key><dict>
                <key>TSKIncludeSubdomains</key><true/>
                <key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array>
              </dict>
              <key>cdn.example.com</key><dict>
                <key>kSKExcludeSubdomainFromParentPolicy</key><true/>
              </dict>
            </dict></dict>
            """);
        var config = PinningConfiguration.Read(info);
        config.IsPinned("api.example.com", Now).Should().BeTrue("the parent's pins cover its subdomains");
        config.IsPinned("cdn.example.com", Now).Should().BeFalse("the more specific entry excludes it");
    }

    [Fact]
    public void Reads_both_sources_into_one_model()
    {
        var info = WithAts($"""
            <key>NSPinnedDomains</key><dict>
              <key>Api.Example.com</key><dict>
                <key>NSIncludesSubdomains</key><true/>
                <key>NSPinnedCAIdentities</key><array><dict><key>SPKI-SHA256-BASE64</key><string>{PinA}</string></dict></array>
                <key>NSPinnedLeafIdentities</key><array><dict><key>SPKI-SHA256-BASE64</key><string>{PinB}</string></dict></array>
              </dict>
            </dict>
            """,
            $"""
            <key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict>
              <key>tk.example.org</key><dict>
                <key>TSKEnforcePinning</key><false/>
                <key>TSKExpirationDate</key><string>2027-01-01</string>
                <key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array>
              </dict>
            </dict></dict>
            """);
        var config = PinningConfiguration.Read(info);
        config.HasAtsPinning.Should().BeTrue();
        config.HasTrustKit.Should().BeTrue();
        config.Issues.Should().BeEmpty();

        var ats = config.Domains.Single(d => d.Source == PinSource.AtsPinnedDomains);
        ats.Domain.Should().Be("Api.Example.com");
        ats.IncludesSubdomains.Should().BeTrue();
        ats.Pins.Select(p => p.Kind).Should().Equal(PinKind.CaIdentity, PinKind.LeafIdentity);
        ats.Enforced.Should().BeTrue();
        ats.Expiration.Should().BeNull();

        var tk = config.Domains.Single(d => d.Source == PinSource.TrustKit);
        tk.Enforced.Should().BeFalse();
        tk.Expiration.Should().Be(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        tk.Pins.Should().HaveCount(2).And.OnlyContain(p => p.IsValid);
    }

    [Fact]
    public void IsPinned_respects_scope_case_enforcement_and_expiry()
    {
        var info = WithAts($"""
            <key>NSPinnedDomains</key><dict>
              <key>example.com</key><dict>
                <key>NSPinnedCAIdentities</key><array><dict><key>SPKI-SHA256-BASE64</key><string>{PinA}</string></dict></array>
              </dict>
              <key>wide.example.net</key><dict>
                <key>NSIncludesSubdomains</key><true/>
                <key>NSPinnedCAIdentities</key><array><dict><key>SPKI-SHA256-BASE64</key><string>{PinA}</string></dict></array>
              </dict>
            </dict>
            """,
            $"""
            <key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict>
              <key>report.example.org</key><dict><key>TSKEnforcePinning</key><false/><key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array></dict>
              <key>old.example.org</key><dict><key>TSKExpirationDate</key><string>2025-01-01</string><key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array></dict>
            </dict></dict>
            """);
        var config = PinningConfiguration.Read(info);
        config.IsPinned("EXAMPLE.com", Now).Should().BeTrue();
        config.IsPinned("api.example.com", Now).Should().BeFalse();
        // Changed reading: parseNSPinnedDomains matches the key against the host and its immediate parent only.
        config.IsPinned("b.wide.example.net", Now).Should().BeTrue();
        config.IsPinned("a.b.wide.example.net", Now).Should().BeFalse();
        config.IsPinned("report.example.org", Now).Should().BeFalse();
        config.IsPinned("old.example.org", Now).Should().BeFalse();
        config.IsPinned("old.example.org", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)).Should().BeTrue();
    }

    [Fact]
    public void No_pinning_keys_give_an_empty_configuration()
    {
        var config = PinningConfiguration.Read(WithAts("<key>NSAllowsArbitraryLoads</key><false/>"));
        config.Domains.Should().BeEmpty();
        config.HasAtsPinning.Should().BeFalse();
        config.HasTrustKit.Should().BeFalse();
    }

    [Theory]
    [InlineData("C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=", true)]
    [InlineData("0000000000000000000000000000000000000000000=", true)] // placeholder, but well-formed
    [InlineData("C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M", false)]
    [InlineData("", false)]
    public void Sha256_base64_check(string value, bool valid) => PinningConfiguration.IsSha256Base64(value).Should().Be(valid);
}
