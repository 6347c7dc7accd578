using Mstg.Dynamic.Judging;
using Mstg.Dynamic.Verdicts;
using Mstg.Fixtures.Proxy;
using static Mstg.Dynamic.Tests.JudgeLab;

namespace Mstg.Dynamic.Tests;

/// <summary>
/// Each intercepting condition, judged on real clients both ways: one that refuses (the case passes, with how it refused)
/// and one that accepts (the case fails, naming the host, the condition and what was requested). The lab's proxy upstreams
/// to a real HTTPS origin; "device trust" means the run's CA is installed, as the suite does for every condition.
/// </summary>
public sealed class RefusalJudgeTests(ProxyLab lab) : IClassFixture<ProxyLab>
{
    // MSTG-NETWORK-3: a validating client refuses; curl -k (validation off) accepts.
    [Theory]
    [InlineData("n3-untrusted-ca", RefusalKind.TlsAlert, "unknown_ca")]
    [InlineData("n3-self-signed", RefusalKind.TlsAlert, "unknown_ca")]
    [InlineData("n3-expired", RefusalKind.TlsAlert, "certificate_expired")]
    // curl checks the host name after the handshake: a refusal without any alert.
    [InlineData("n3-wrong-host", RefusalKind.ClosedAfterHandshake, null)]
    public async Task Network3_validating_client_refuses_and_passes(string probe, RefusalKind how, string? alert)
    {
        var (j, client) = await RunAsync(lab, probe, Client(RealClient.CurlDeviceTrust, lab));
        j.Outcome.Should().Be(CaseOutcome.Pass, client);
        j.Verdict.Kind.Should().Be(ConnectionVerdictKind.Refused);
        j.Verdict.How.Should().Be(how);
        j.Verdict.Alert.Should().Be(alert);
        j.Findings.Should().BeEmpty();
        j.Verdict.Evidence.Hellos.Should().NotBeEmpty("the ClientHello is part of the evidence");
    }

    [Theory]
    [InlineData("n3-untrusted-ca")]
    [InlineData("n3-self-signed")]
    [InlineData("n3-expired")]
    [InlineData("n3-wrong-host")]
    public async Task Network3_client_without_validation_accepts_and_fails(string probe)
    {
        var (j, client) = await RunAsync(lab, probe, Client(RealClient.CurlInsecure, lab), ats: Ats(""));
        j.Outcome.Should().Be(CaseOutcome.Fail, client);
        j.Verdict.Kind.Should().Be(ConnectionVerdictKind.Accepted);
        j.Verdict.Evidence.Urls.Should().Contain($"https://{ProxyLab.Host}/matrix", "the request the app sent to the interceptor is the evidence");
        var finding = j.Findings.Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Fail);
        finding.MstgId.Should().Be("MSTG-NETWORK-3");
        finding.Host().Should().Be(ProxyLab.Host);
        finding.Subject.Should().Be(new HostConditionSubject(ProxyLab.Host, Mstg.Dynamic.Expectations.DynamicExpectations.Get(probe).ConditionName));
        finding.Severity.Should().Be(Severity.Critical, "the catalogue's severity for DYN-ACCEPTS-INVALID-CERT");
        finding.RuleId.Should().Be(RuleCatalog.DynAcceptsInvalidCert);
        // Default ATS and system trust refuse these: an app that accepts has code of its own deciding trust.
        finding.Message.Should().Contain("points at code that bypasses ATS");
    }

    [Fact]
    public async Task Network3_dotnet_client_refuses_after_the_handshake_and_openssl_with_an_alert()
    {
        var (dotnet, c1) = await RunAsync(lab, "n3-untrusted-ca", Client(RealClient.DotNetHttpClient, lab));
        dotnet.Outcome.Should().Be(CaseOutcome.Pass, c1);
        dotnet.Verdict.How.Should().Be(RefusalKind.ClosedAfterHandshake, "SslStream validates after the TLS 1.3 handshake");

        var (openssl, c2) = await RunAsync(lab, "n3-wrong-host", Client(RealClient.OpenSslVerify, lab));
        openssl.Outcome.Should().Be(CaseOutcome.Pass, c2);
        openssl.Verdict.How.Should().Be(RefusalKind.TlsAlert);
        openssl.Verdict.Alert.Should().Be("bad_certificate");
    }

    // MSTG-NETWORK-2: legacy protocols. Debian's curl refuses (OpenSSL rejects the legacy signature); curl told to allow
    // TLS 1.0/1.1 accepts.
    [Theory]
    [InlineData("n2-tls10-only", "1.0")]
    [InlineData("n2-tls11-only", "1.1")]
    public async Task Network2_legacy_protocol_refused_by_default_curl_and_accepted_by_curl_allowing_it(string probe, string version)
    {
        var (refusing, c1) = await RunAsync(lab, probe, Client(RealClient.CurlDeviceTrust, lab));
        refusing.Outcome.Should().Be(CaseOutcome.Pass, c1);
        refusing.Verdict.Kind.Should().Be(ConnectionVerdictKind.Refused);
        refusing.Verdict.How.Should().Be(RefusalKind.TlsAlert);

        var (accepting, c2) = await RunAsync(lab, probe, LegacyCurl(lab, version), ats: Ats(""));
        accepting.Outcome.Should().Be(CaseOutcome.Fail, c2);
        accepting.Verdict.Kind.Should().Be(ConnectionVerdictKind.Accepted);
        accepting.Verdict.Evidence.Connections.Should().Contain(c => c.Negotiated != null && c.Negotiated.StartsWith($"TLS{version}"));
        accepting.Findings.Single().Message.Should().Contain("ATS predicts a refusal").And.Contain("points at code that bypasses ATS");
    }

    [Fact]
    public async Task Network2_cleartext_to_the_same_host_is_no_acceptance_of_a_tls_condition()
    {
        // A web page served over http:// that calls its API over https:// (the insecure reference web app): under
        // tls10-only the plain request presents no certificate and no protocol, so only the refused TLS connection counts.
        var (j, c) = await RunAsync(lab, "n2-tls10-only", async proxy =>
        {
            var before = ProxyLab.LastId(proxy);
            var plain = await ExternalTool.RunAsync("curl", ["-sS", "--max-time", "20", "--proxy", $"http://127.0.0.1:{proxy.Endpoint.Port}", $"http://{ProxyLab.Host}/page"]);
            var tls = await Client(RealClient.CurlDeviceTrust, lab)(proxy);
            // Both connections' events in the window (one is written when its connection ends).
            await proxy.Events.WaitForAsync(e => e.Id > before && e.Type == "connection" && e.Outcome == Mstg.Proxy.Evidence.ConnectionOutcome.Refused, TimeSpan.FromSeconds(20));
            return plain + "\n" + tls;
        });
        j.Verdict.Evidence.Connections.Should().Contain(e => e.Outcome == "Cleartext", "the plain request is in the window: " + c);
        j.Verdict.Kind.Should().Be(ConnectionVerdictKind.Refused, DynamicJudge.EvidenceText(j.Verdict));
        j.Outcome.Should().Be(CaseOutcome.Pass);
        j.Verdict.How.Should().Be(RefusalKind.TlsAlert);
    }

    [Fact]
    public async Task Network2_legacy_protocol_accepted_where_ats_allows_it_is_a_failure_without_the_bypass_remark()
    {
        var ats = Ats($"<key>NSExceptionDomains</key><dict><key>{ProxyLab.Host}</key><dict><key>NSExceptionMinimumTLSVersion</key><string>TLSv1.0</string></dict></dict>");
        ats.MinimumTls.Should().Be(Mstg.Analysis.Ats.TlsVersion.Tls10);
        var (j, c) = await RunAsync(lab, "n2-tls10-only", LegacyCurl(lab, "1.0"), ats: ats);
        j.Outcome.Should().Be(CaseOutcome.Fail, c);
        j.Findings.Single().Message.Should().NotContain("bypasses ATS", "the plist itself lowers the minimum: the static rules report that");
    }

    [Fact]
    public async Task Network2_no_forward_secrecy_dotnet_offers_nothing_in_common_and_curl_accepts()
    {
        var (refusing, c1) = await RunAsync(lab, "n2-no-forward-secrecy", Client(RealClient.DotNetHttpClient, lab));
        refusing.Outcome.Should().Be(CaseOutcome.Pass, c1);
        refusing.Verdict.How.Should().Be(RefusalKind.NothingInCommon);
        refusing.Verdict.Alert.Should().Be("handshake_failure");

        var (accepting, c2) = await RunAsync(lab, "n2-no-forward-secrecy", Client(RealClient.CurlDeviceTrust, lab));
        accepting.Outcome.Should().Be(CaseOutcome.Fail, c2);
        accepting.Verdict.Evidence.Hellos.Should().Contain(h => !h.OffersOnlyForwardSecret, "curl offers RSA key exchange, which is how it could accept");
    }

    [Theory]
    [InlineData("n2-weak-key")]
    [InlineData("n2-sha1-signature")]
    public async Task Network2_weak_certificates_refused_by_curl_and_accepted_by_dotnet(string probe)
    {
        var (refusing, c1) = await RunAsync(lab, probe, Client(RealClient.CurlDeviceTrust, lab));
        refusing.Outcome.Should().Be(CaseOutcome.Pass, c1);
        refusing.Verdict.How.Should().Be(RefusalKind.TlsAlert);
        refusing.Verdict.Alert.Should().Be("bad_certificate");

        var (accepting, c2) = await RunAsync(lab, probe, Client(RealClient.DotNetHttpClient, lab));
        accepting.Outcome.Should().Be(CaseOutcome.Fail, c2);
        accepting.Findings.Single().MstgId.Should().Be("MSTG-NETWORK-2");
    }

    // MSTG-NETWORK-4: pinning. A pinning client refuses the trusted interception CA after the handshake; a validating but
    // not pinning client accepts it: a failure at L2, a warning at L1.
    [Fact]
    public async Task Network4_pinning_client_refuses_the_trusted_ca()
    {
        var (j, c) = await RunAsync(lab, "n4-trusted-ca", Client(RealClient.CurlPinned, lab));
        j.Outcome.Should().Be(CaseOutcome.Pass, c);
        j.Verdict.How.Should().Be(RefusalKind.ClosedAfterHandshake);
    }

    [Theory]
    [InlineData(Profile.L2, CaseOutcome.Fail, Verdict.Fail)]
    [InlineData(Profile.L1, CaseOutcome.Warn, Verdict.Warn)]
    public async Task Network4_client_without_pinning_accepts_failing_at_L2_and_warning_at_L1(Profile profile, CaseOutcome outcome, Verdict verdict)
    {
        var (j, c) = await RunAsync(lab, "n4-trusted-ca", Client(RealClient.CurlDeviceTrust, lab), profile);
        j.Verdict.Kind.Should().Be(ConnectionVerdictKind.Accepted);
        j.Outcome.Should().Be(outcome, c);
        j.Findings.Single().Verdict.Should().Be(verdict);
        if (profile == Profile.L1) j.Reason.Should().Contain("reported, not failing");
    }
}
