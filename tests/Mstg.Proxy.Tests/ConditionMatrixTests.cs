using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>
/// Every condition against every real client: the client must accept or refuse exactly as expected, and the
/// proxy's evidence must say the same thing (with the alert the client sent, where it sends one).
/// </summary>
public sealed class ConditionMatrixTests(ProxyLab lab) : IClassFixture<ProxyLab>
{
    public static TheoryData<string, string> Cells()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in ExpectedMatrix.Conditions)
            foreach (var client in Enum.GetValues<RealClient>())
                data.Add(c, client.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Client_reacts_to_condition_as_expected_and_proxy_records_it(string conditionName, string clientName)
    {
        var condition = CertificateConditions.Parse(conditionName);
        var client = Enum.Parse<RealClient>(clientName);
        await using var scope = await lab.UseConditionAsync(condition);

        var run = await RealClients.RunAsync(client, lab, scope.Proxy);
        var evt = await scope.WaitForConnectionAsync(e => e.Host == ProxyLab.Host);
        scope.Connections.Should().ContainSingle(e => e.Host == ProxyLab.Host, "one client run, one connection under this condition");
        var expected = ExpectedMatrix.For(condition, client);

        var brief = evt.ClientHello is null ? evt : evt with { ClientHello = evt.ClientHello with { CipherSuites = [], Groups = [], SignatureAlgorithms = [] } };
        var report = $"[[{conditionName} × {clientName}: client got response={run.GotResponse}; event " +
                     System.Text.Json.JsonSerializer.Serialize(brief, ProxyEventLog.Json) + "]]\nclient: " + run.Evidence;
        TestContext.Current.SendDiagnosticMessage(report);
        // MSTG_MATRIX_OUT=file collects the observed matrix for docs/proxy.md.
        if (Environment.GetEnvironmentVariable("MSTG_MATRIX_OUT") is { Length: > 0 } matrixOut)
            lock (typeof(ConditionMatrixTests))
                File.AppendAllText(matrixOut, $"{conditionName}\t{clientName}\t{(run.GotResponse ? "accepts" : "refuses")}\t{evt.Outcome}\t" +
                    $"{evt.AlertCode}\t{evt.AlertName}\t{evt.AlertSource}\t{evt.HandshakeCompleted}\t{evt.TransportEnd}\t{evt.NegotiatedProtocol}\n");
        run.GotResponse.Should().Be(expected.Accepts, report);
        evt.Outcome.Should().Be(expected.Outcome, report);
        evt.Condition.Should().Be(conditionName, report);
        evt.AlertCode.Should().Be(expected.Alert, report);
        if (expected.Alert is not null)
            evt.AlertSource.Should().Be(expected.ProxySent ? "sent-by-proxy" : "record", report);
        if (expected.PostHandshake)
        {
            evt.HandshakeCompleted.Should().BeTrue(report);
            evt.Requests.Should().Be(0, report);
        }
        if (expected.Outcome == ConnectionOutcome.Accepted)
        {
            evt.Requests.Should().Be(1, report);
            evt.NegotiatedProtocol.Should().NotBeNullOrEmpty(report);
        }
        if (conditionName is "tls10-only" or "tls11-only")
            evt.ClientHello!.Versions.Should().Contain(conditionName == "tls10-only" ? "TLS1.0" : "TLS1.1", report);
        evt.ClientHello.Should().NotBeNull(report);
        evt.ClientHello!.Sni.Should().Be(ProxyLab.Host, report);
    }

    /// <summary>
    /// The other half of the legacy protocol conditions: a client willing to speak the old version (s_client at
    /// SECLEVEL 0) gets through, so the refusals above are the clients' doing, not a broken server.
    /// </summary>
    [Theory]
    [InlineData("tls10-only", "-tls1", "TLS1.0")]
    [InlineData("tls11-only", "-tls1_1", "TLS1.1")]
    public async Task A_client_that_allows_the_old_version_is_accepted(string conditionName, string flag, string version)
    {
        var proxy = await lab.ProxyFor(CertificateConditions.Parse(conditionName));
        var before = ProxyLab.LastId(proxy);
        var r = await ExternalTool.RunAsync("openssl",
            ["s_client", flag, "-cipher", "DEFAULT@SECLEVEL=0", "-proxy", $"127.0.0.1:{proxy.Endpoint.Port}", "-connect", $"{ProxyLab.Host}:443",
             "-servername", ProxyLab.Host, "-CAfile", lab.DeviceTrustPem(proxy), "-verify_return_error", "-ign_eof", "-quiet"],
            stdin: $"GET /old HTTP/1.1\r\nHost: {ProxyLab.Host}\r\nConnection: close\r\n\r\n");
        r.Stdout.Should().Contain("origin saw GET /old", r.ToString());
        var evt = await ProxyLab.NextConnectionAsync(proxy, before);
        evt.Outcome.Should().Be(ConnectionOutcome.Accepted);
        evt.NegotiatedProtocol.Should().Be(version);
    }

    [Fact]
    public async Task No_forward_secrecy_really_negotiates_rsa_key_exchange()
    {
        var proxy = await lab.ProxyFor(CertificateCondition.NoForwardSecrecy);
        var before = ProxyLab.LastId(proxy);
        var run = await RealClients.RunAsync(RealClient.CurlDeviceTrust, lab, proxy);
        run.GotResponse.Should().BeTrue(run.Evidence);
        var evt = await ProxyLab.NextConnectionAsync(proxy, before);
        evt.NegotiatedProtocol.Should().Be("TLS1.2");
        evt.NegotiatedCipherSuite.Should().StartWith("TLS_RSA_WITH_");
        evt.ClientHello!.OffersOnlyForwardSecret.Should().BeFalse("curl also offers RSA key exchange, which is why it accepts");
    }
}
