using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Mstg.Analysis.BundleFiles;
using Mstg.Analysis.Libraries;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Scanning;
using Mstg.Analysis.Tests.Binary.Support;

namespace Mstg.Analysis.Tests.Scanning;

/// <summary>
/// Without a fixed <see cref="ScanOptions.Now"/>, a scan reads "now" from <see cref="ScanOptions.Clock"/> when it runs,
/// not when the options were made: the same options judge certificates, TrustKit expiry and end-of-life dates again
/// after the clock moved.
/// </summary>
public sealed class ScanClockTests
{
    [Fact]
    public void A_bundled_certificate_that_expires_tomorrow_is_reported_expired_two_days_later()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 6, 1, 12, 0, 0, TimeSpan.Zero));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest("CN=api.example.com", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(clock.GetUtcNow().AddYears(-1), clock.GetUtcNow().AddDays(1));
        var options = new ScanOptions { Clock = clock };
        string Evidence() => new BundleFileRules().Evaluate(ModelBuilder.Context(null, new Dictionary<string, byte[]> { ["Payload/App.app/pin.cer"] = cert.RawData }, options: options))
            .Single(f => f.RuleId == RuleCatalog.BundleCertificate).Evidence!;

        Evidence().Should().NotContain("EXPIRED");
        clock.Advance(TimeSpan.FromDays(2));
        Evidence().Should().Contain("EXPIRED");
    }

    [Fact]
    public void A_trustkit_pin_set_is_judged_at_the_time_of_each_scan()
    {
        var pin = Convert.ToBase64String(new byte[32]);
        var backup = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());
        var dir = Directory.CreateTempSubdirectory("mstg-clock-").FullName;
        var plist = Path.Combine(dir, "Info.plist");
        File.WriteAllText(plist, $$"""
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0"><dict>
              <key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict>
                <key>api.example.com</key><dict>
                  <key>TSKExpirationDate</key><string>2031-06-02</string>
                  <key>TSKPublicKeyHashes</key><array><string>{{pin}}</string><string>{{backup}}</string></array>
                </dict>
              </dict></dict>
            </dict></plist>
            """);
        try
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2031, 6, 1, 12, 0, 0, TimeSpan.Zero));
            var options = new ScanOptions { Clock = clock };

            var before = Scanner.Default.Scan(plist, options);
            before.Findings.Should().NotContain(f => f.RuleId == RuleCatalog.PinTrustKitExpired);
            before.StartedAt.Should().Be(clock.GetUtcNow(), "the report's start time comes from the same clock");

            clock.Advance(TimeSpan.FromDays(2));
            Scanner.Default.Scan(plist, options).Findings.Should().Contain(f => f.RuleId == RuleCatalog.PinTrustKitExpired);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_library_branch_is_deprecated_from_its_end_of_life_date_on_the_scan_clock()
    {
        // OpenSSL 3.0 reaches its end of life on 2026-09-07 in the built-in data.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 6, 12, 0, 0, TimeSpan.Zero));
        using var app = ScannedApp.WithExecutable(Clang.C(Clang.Prelude + "void SSL_CTX_new(void) { }\nint main(void){ puts(\"OpenSSL 3.0.15 3 Sep 2024\"); return 0; }\n"),
            options: new ScanOptions { Clock = clock });
        Verdict Deprecated() => app.Run(new LibraryRules()).Single(f => f.RuleId == RuleCatalog.LibDeprecated).Verdict;

        Deprecated().Should().Be(Verdict.Pass);
        clock.Advance(TimeSpan.FromDays(2));
        Deprecated().Should().Be(Verdict.Warn);
    }
}
