using Mstg.Fixtures.Tls;
using Spec = Mstg.Fixtures.Tls.TestPki.LeafSpec;

namespace Mstg.ServerTls.Tests;

/// <summary>
/// The two correlations no peer does: an app's ATS exceptions against what the server needs (necessary: "fix the
/// server"; not needed: ATS-EXCEPTION-UNNECESSARY), and its pins against the served chain (PIN-NO-MATCH). The app is
/// an Info.plist written by the test; the servers are real.
/// </summary>
public sealed class AppCorrelationTests(PkiFixture pki) : IClassFixture<PkiFixture>
{
    private TestPki Pki => pki.Pki;

    private static string Plist(string body)
    {
        var dir = Directory.CreateTempSubdirectory("mstg-app-").FullName;
        var path = Path.Combine(dir, "Info.plist");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0"><dict>
              <key>CFBundleIdentifier</key><string>com.example.mstg</string>
              <key>NSAppTransportSecurity</key><dict>{body}</dict>
            </dict></plist>
            """);
        return path;
    }

    private const string WeakException = """
        <key>NSExceptionDomains</key><dict><key>localhost</key><dict>
          <key>NSExceptionMinimumTLSVersion</key><string>TLSv1.0</string>
          <key>NSExceptionRequiresForwardSecrecy</key><false/>
        </dict></dict>
        """;

    private static string Pins(params string[] leafPins) => $"""
        <key>NSPinnedDomains</key><dict><key>localhost</key><dict>
          <key>NSPinnedLeafIdentities</key><array>{string.Concat(leafPins.Select(p => $"<dict><key>SPKI-SHA256-BASE64</key><string>{p}</string></dict>"))}</array>
        </dict></dict>
        """;

    private async Task<IReadOnlyList<Finding>> ProbeWithAppAsync(LocalTlsServer server, string plist)
    {
        var (report, _) = await ServerConfigurationTests.ProbeAsync(server, Pki);
        return ServerFindings.For(report, AppTlsContext.Load(plist));
    }

    [Fact]
    public async Task Exceptions_a_modern_server_does_not_need_are_unnecessary()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, [.. ServerConfigurationTests.Tls12And13, "-cipher", ServerConfigurationTests.Modern]);
        var findings = await ProbeWithAppAsync(server, Plist(WeakException));
        findings.Select(f => f.RuleId).Should().Equal(RuleCatalog.AtsExceptionUnnecessary, RuleCatalog.AtsExceptionUnnecessary);
        findings.Select(f => f.Message).Should().Contain(m => m.Contains("remove NSExceptionMinimumTLSVersion"))
            .And.Contain(m => m.Contains("remove NSExceptionRequiresForwardSecrecy"));
    }

    [Fact]
    public async Task Exception_a_tls10_server_needs_is_fix_the_server_and_its_unneeded_pfs_exception_is_unnecessary()
    {
        // The TLS 1.0 server's only suite is ECDHE: the minimum-version exception is needed, the PFS one is not.
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), true, "-tls1", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0");
        var findings = await ProbeWithAppAsync(server, Plist(WeakException));
        findings.Select(f => f.RuleId).Should().BeEquivalentTo([RuleCatalog.ServerTlsLegacyVersion, RuleCatalog.ServerWeakCipher, RuleCatalog.ServerAtsFail, RuleCatalog.AtsExceptionUnnecessary]);
        findings.Single(f => f.RuleId == RuleCatalog.ServerAtsFail).Message.Should().Contain("makes it connect: fix the server, then remove the exception");
        findings.Single(f => f.RuleId == RuleCatalog.AtsExceptionUnnecessary).Message.Should().Contain("NSExceptionRequiresForwardSecrecy");
    }

    [Fact]
    public async Task App_without_the_exception_a_tls10_server_needs_cannot_connect()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), true, "-tls1", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0");
        var findings = await ProbeWithAppAsync(server, Plist(""));
        findings.Single(f => f.RuleId == RuleCatalog.ServerAtsFail).Message.Should().Contain("has no exception that covers it");
        findings.Should().NotContain(f => f.RuleId == RuleCatalog.AtsExceptionUnnecessary);
    }

    [Fact]
    public async Task Pin_matching_the_served_leaf_passes_and_a_stale_pin_does_not()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, [.. ServerConfigurationTests.Tls12And13, "-cipher", ServerConfigurationTests.Modern]);
        var (report, _) = await ServerConfigurationTests.ProbeAsync(server, Pki);
        var served = report.Chain!.Leaf.SpkiSha256;
        var stale = Convert.ToBase64String(new byte[32]);

        ServerFindings.For(report, AppTlsContext.Load(Plist(Pins(served, stale)))).Should().BeEmpty("one of the two pins matches the leaf");
        var mismatch = ServerFindings.For(report, AppTlsContext.Load(Plist(Pins(stale, Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray())))));
        mismatch.Should().ContainSingle().Which.RuleId.Should().Be(RuleCatalog.PinNoMatch);
        mismatch[0].Evidence.Should().Contain(served);
    }
}
