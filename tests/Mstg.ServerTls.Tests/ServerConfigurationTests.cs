using Mstg.ServerTls.Probing;
using Mstg.Fixtures.Tls;
using Mstg.Tls.Raw;
using Spec = Mstg.Fixtures.Tls.TestPki.LeafSpec;

namespace Mstg.ServerTls.Tests;

/// <summary>
/// The proof matrix of issue 12: one real server per configuration (nginx or openssl s_server on loopback), probed by
/// the real prober, and each must give exactly the expected findings and nothing else. The reason for each expectation
/// is written beside it.
/// </summary>
public sealed class ServerConfigurationTests(PkiFixture pki) : IClassFixture<PkiFixture>
{
    // AEAD + ECDHE only: nothing to say about the suites, so any other finding comes from the case's one defect.
    internal const string Modern = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";
    internal static readonly string[] Tls12And13 = ["-no_ssl3", "-no_tls1", "-no_tls1_1"];

    private TestPki Pki => pki.Pki;

    internal static async Task<(EndpointReport Report, IReadOnlyList<Finding> Findings)> ProbeAsync(LocalTlsServer server, TestPki pki)
    {
        var options = new ProbeOptions { TrustAnchors = pki.Anchors };
        var report = await new EndpointProber(options).ProbeAsync(Endpoint.Parse(server.Target()), TestContext.Current.CancellationToken);
        var findings = ServerFindings.For(report);
        TestContext.Current.AddAttachment($"probe {server.Kind} :{server.Port}", string.Join("\n", findings) + "\n\n" + System.Text.Json.JsonSerializer.Serialize(report));
        return (report, findings);
    }

    private static void Expect(IReadOnlyList<Finding> findings, params (string Rule, Verdict Verdict)[] expected) =>
        findings.Select(f => (f.RuleId, f.Verdict)).Should().BeEquivalentTo(expected, string.Join("\n", findings));

    [Fact]
    public async Task Modern_nginx_with_full_chain_gives_no_finding()
    {
        await using var server = await LocalTlsServer.NginxAsync(Pki, new Spec { ByIntermediate = true }, "TLSv1.2 TLSv1.3", Modern);
        var (report, findings) = await ProbeAsync(server, Pki);
        Expect(findings);
        report.Protocols.Where(p => p.Accepted).Select(p => p.Name).Should().Equal("TLS1.2", "TLS1.3");
        report.Protocols.Single(p => p.Version == TlsCatalog.Tls12).Suites.Select(s => s.Name).Should().BeEquivalentTo(
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        report.Protocols.Single(p => p.Version == TlsCatalog.Tls12).ServerPreference.Should().BeTrue("nginx is configured with ssl_prefer_server_ciphers on");
        report.Chain!.Served.Should().HaveCount(2, "nginx sends leaf and intermediate");
        report.Chain.Trust.Should().Be(ChainTrust.Trusted);
        report.Alpn.Should().Be("h2");
        report.Groups.Should().Contain(["x25519", "secp256r1"]);
    }

    [Fact]
    public async Task Tls13_only_gives_no_finding_and_reads_the_chain_through_a_real_handshake()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, "-tls1_3");
        var (report, findings) = await ProbeAsync(server, Pki);
        Expect(findings);
        report.Protocols.Where(p => p.Accepted).Select(p => p.Name).Should().Equal("TLS1.3");
        report.Chain!.Source.Should().Be("TLS1.3 handshake");
        report.Protocols.Single(p => p.Version == TlsCatalog.Tls13).Suites.Should().HaveCount(3, "OpenSSL's default TLS 1.3 suites: AES-256-GCM, ChaCha20, AES-128-GCM");
    }

    [Fact]
    public async Task Tls10_only_is_a_legacy_version_with_obsolete_suites_and_fails_ats()
    {
        // ECDHE-RSA-AES128-SHA is the only suite: forward secret and in the ATS list, so NSExceptionMinimumTLSVersion alone fixes ATS.
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), true, "-tls1", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0");
        var (report, findings) = await ProbeAsync(server, Pki);
        Expect(findings, (RuleCatalog.ServerTlsLegacyVersion, Verdict.Fail), (RuleCatalog.ServerWeakCipher, Verdict.Warn), (RuleCatalog.ServerAtsFail, Verdict.Fail));
        findings.Single(f => f.RuleId == RuleCatalog.ServerAtsFail).Message.Should().Contain("NSExceptionMinimumTLSVersion = TLSv1.0");
        report.Protocols.Where(p => p.Accepted).Select(p => p.Name).Should().Equal("TLS1.0");
        // nscurl's matrix: only the dictionaries that allow TLS 1.0 (or turn ATS off) connect.
        PassingRows(report).Should().BeEquivalentTo("Allowing Arbitrary Loads", "TLS exception TLSv1.0", "TLS exception TLSv1.0, PFS disabled",
            "TLS exception TLSv1.0, PFS disabled, insecure HTTP allowed");
    }

    private static IEnumerable<string> PassingRows(EndpointReport report) =>
        Ats.AtsServerModel.Evaluate(report).Matrix.Where(r => r.Passes).Select(r => r.Title);

    [Fact]
    public async Task Tls12_with_rsa_key_exchange_only_has_no_forward_secrecy_and_needs_the_pfs_exception()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, "-tls1_2", "-cipher", "AES128-GCM-SHA256:AES256-GCM-SHA384");
        var (report, findings) = await ProbeAsync(server, Pki);
        Expect(findings, (RuleCatalog.ServerNoForwardSecrecy, Verdict.Fail), (RuleCatalog.ServerAtsFail, Verdict.Fail));
        findings.Single(f => f.RuleId == RuleCatalog.ServerAtsFail).Message.Should().Contain("NSExceptionRequiresForwardSecrecy = NO");
        // Every dictionary with PFS off connects, except the one that also demands TLS 1.3; arbitrary loads too.
        PassingRows(report).Should().BeEquivalentTo("Allowing Arbitrary Loads", "PFS exception", "PFS exception, insecure HTTP allowed",
            "TLS exception TLSv1.2, PFS disabled", "TLS exception TLSv1.1, PFS disabled", "TLS exception TLSv1.0, PFS disabled",
            "TLS exception TLSv1.2, PFS disabled, insecure HTTP allowed", "TLS exception TLSv1.1, PFS disabled, insecure HTTP allowed",
            "TLS exception TLSv1.0, PFS disabled, insecure HTTP allowed");
    }

    [Fact]
    public async Task Null_encryption_suite_is_a_broken_cipher_but_ats_still_connects_through_gcm()
    {
        // Debian's OpenSSL 3.0 is built without 3DES ("no cipher match" for DES-CBC3-SHA), so the breakable suite a real
        // server can offer here is NULL encryption; the rule treats 3DES, RC4, EXPORT, anonymous and NULL alike.
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), true, [.. Tls12And13, "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-NULL-SHA:@SECLEVEL=0"]);
        var (report, findings) = await ProbeAsync(server, Pki);
        Expect(findings, (RuleCatalog.ServerWeakCipher, Verdict.Fail));
        report.Protocols.Single(p => p.Version == TlsCatalog.Tls12).Suites.Select(s => s.Name).Should().Contain("TLS_ECDHE_RSA_WITH_NULL_SHA");
    }

    [Fact]
    public async Task Cbc_sha1_suite_is_an_obsolete_cipher_warning_only()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, [.. Tls12And13, "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA"]);
        var (_, findings) = await ProbeAsync(server, Pki);
        Expect(findings, (RuleCatalog.ServerWeakCipher, Verdict.Warn));
    }

    [Fact]
    public async Task Rsa_1024_key_is_weak_and_no_ats_exception_helps()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec { RsaBits = 1024 }, true, [.. Tls12And13, "-cipher", Modern + ":@SECLEVEL=0"]);
        var (report, findings) = await ProbeAsync(server, Pki);
        Expect(findings, (RuleCatalog.ServerWeakKey, Verdict.Fail), (RuleCatalog.ServerAtsFail, Verdict.Fail));
        report.Chain!.Leaf.KeyBits.Should().Be(1024);
        PassingRows(report).Should().BeEmpty("a platform certificate rule fails every ATS dictionary, arbitrary loads included");
        findings.Single(f => f.RuleId == RuleCatalog.ServerAtsFail).Message.Should().Contain("no ATS exception helps");
    }

    [Fact]
    public async Task Sha1_signed_certificate_is_a_weak_signature()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec { Sha1 = true }, true, [.. Tls12And13, "-cipher", Modern + ":@SECLEVEL=0"]);
        var (report, findings) = await ProbeAsync(server, Pki);
        Expect(findings, (RuleCatalog.ServerWeakSignature, Verdict.Fail), (RuleCatalog.ServerAtsFail, Verdict.Fail));
        report.Chain!.Leaf.SignatureOid.Should().Be("1.2.840.113549.1.1.5");
    }

    [Fact]
    public async Task Expired_certificate_is_reported_as_expired_only()
    {
        var past = DateTimeOffset.UtcNow;
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec { NotBefore = past.AddDays(-100), NotAfter = past.AddDays(-10) }, false, [.. Tls12And13, "-cipher", Modern]);
        var (_, findings) = await ProbeAsync(server, Pki);
        Expect(findings, (RuleCatalog.ServerCertExpired, Verdict.Fail), (RuleCatalog.ServerAtsFail, Verdict.Fail));
    }

    [Fact]
    public async Task Wrong_hostname_is_reported()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec { Name = "other.mstg.test" }, false, [.. Tls12And13, "-cipher", Modern]);
        var (_, findings) = await ProbeAsync(server, Pki);
        Expect(findings, (RuleCatalog.ServerCertHostname, Verdict.Fail), (RuleCatalog.ServerAtsFail, Verdict.Fail));
    }

    [Fact]
    public async Task Self_signed_certificate_is_untrusted()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec { SelfSigned = true }, false, [.. Tls12And13, "-cipher", Modern]);
        var (report, findings) = await ProbeAsync(server, Pki);
        Expect(findings, (RuleCatalog.ServerCertUntrusted, Verdict.Fail), (RuleCatalog.ServerAtsFail, Verdict.Fail));
        report.Chain!.Trust.Should().Be(ChainTrust.Untrusted);
    }

    [Fact]
    public async Task Chain_missing_its_intermediate_is_incomplete()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec { ByIntermediate = true }, false, [.. Tls12And13, "-cipher", Modern, "--no-chain"]);
        var (report, findings) = await ProbeAsync(server, Pki);
        Expect(findings, (RuleCatalog.ServerChainIncomplete, Verdict.Fail), (RuleCatalog.ServerAtsFail, Verdict.Fail));
        report.Chain!.Served.Should().HaveCount(1);
    }

    [Fact]
    public async Task The_same_chain_with_its_intermediate_is_trusted()
    {
        // The passing twin of the case above: the only difference is -cert_chain.
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec { ByIntermediate = true }, false, [.. Tls12And13, "-cipher", Modern]);
        var (report, findings) = await ProbeAsync(server, Pki);
        Expect(findings);
        report.Chain!.Served.Should().HaveCount(2);
    }
}

/// <summary>OCSP stapling and SCTs are seen both ways: a server with a stapled response and an SCT-bearing leaf, and one without.</summary>
public sealed class StaplingAndSctTests(PkiFixture pki) : IClassFixture<PkiFixture>
{
    [Fact]
    public async Task Stapled_ocsp_response_and_embedded_scts_are_seen_and_their_absence_too()
    {
        var dir = Directory.CreateTempSubdirectory("mstg-ocsp-").FullName;
        var (cert, _, _, leaf) = pki.Pki.WriteLeaf(Path.Combine(dir, "probe"), new TestPki.LeafSpec { EmbeddedSct = true });
        var rootKey = pki.Pki.WriteRootKey(dir);
        var root = Path.Combine(dir, "root.pem");
        // An OCSP "good" response for the leaf, signed by the root, made with openssl's own responder code.
        File.WriteAllText(Path.Combine(dir, "index.txt"), $"V\t{leaf.NotAfter.ToUniversalTime():yyMMddHHmmss}Z\t\t{leaf.SerialNumber}\tunknown\t/CN=localhost\n");
        Mstg.Fixtures.Processes.ExternalProcess.Run("openssl", ["ocsp", "-issuer", root, "-cert", cert, "-reqout", Path.Combine(dir, "req.der"), "-no_nonce"]).EnsureSuccess();
        Mstg.Fixtures.Processes.ExternalProcess.Run("openssl", ["ocsp", "-index", Path.Combine(dir, "index.txt"), "-CA", root, "-rsigner", root, "-rkey", rootKey,
            "-reqin", Path.Combine(dir, "req.der"), "-respout", Path.Combine(dir, "resp.der"), "-ndays", "1"]).EnsureSuccess();

        // s_server staples the file as it is (it does not check it against its own leaf); the probe only looks for a CertificateStatus.
        await using var stapling = await LocalTlsServer.OpenSslAsync(pki.Pki, new TestPki.LeafSpec { EmbeddedSct = true }, false,
            [.. ServerConfigurationTests.Tls12And13, "-cipher", ServerConfigurationTests.Modern, "-status_file", Path.Combine(dir, "resp.der")]);
        var (report, findings) = await ServerConfigurationTests.ProbeAsync(stapling, pki.Pki);
        findings.Should().BeEmpty();
        report.Chain!.OcspStapled.Should().BeTrue("s_server staples the response file when asked with status_request");
        report.Chain.Leaf.HasEmbeddedScts.Should().BeTrue();

        await using var plain = await LocalTlsServer.OpenSslAsync(pki.Pki, new TestPki.LeafSpec(), false, [.. ServerConfigurationTests.Tls12And13, "-cipher", ServerConfigurationTests.Modern]);
        var (without, _) = await ServerConfigurationTests.ProbeAsync(plain, pki.Pki);
        without.Chain!.OcspStapled.Should().BeFalse();
        without.Chain.Leaf.HasEmbeddedScts.Should().BeFalse();
        Directory.Delete(dir, true);
    }
}

/// <summary>One PKI per test class: generating RSA keys is the slow part of a case.</summary>
public sealed class PkiFixture : IDisposable
{
    public TestPki Pki { get; } = new();
    public void Dispose() => Pki.Dispose();
}
