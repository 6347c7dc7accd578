using Mstg.Dynamic.Expectations;
using Mstg.Dynamic.Judging;
using Mstg.Dynamic.Verdicts;
using Mstg.Fixtures.Proxy;
using Mstg.Proxy.Certificates;
using static Mstg.Dynamic.Tests.JudgeLab;

namespace Mstg.Dynamic.Tests;

/// <summary>
/// The pinning case rests on the app trusting the run's CA: a device that never trusted it refuses the trusted-ca
/// interception exactly as a pinning app does. A refusal is a pass only when trust is established (installed by the
/// driver, confirmed by the user, or shown by an accepted connection to another host in the same window); otherwise it is
/// a skip that says what to do, never a pass. Real curl runs through the lab's proxy in every case.
/// </summary>
public sealed class RunCaTrustJudgeTests(ProxyLab lab) : IClassFixture<ProxyLab>
{
    [Fact]
    public async Task A_device_that_does_not_trust_the_run_CA_is_not_a_pinning_pass()
    {
        // curl trusting only the origin's CA: the run's CA is not installed, so the trusted-ca leaf is refused (unknown_ca).
        var (j, c) = await RunAsync(lab, "n4-trusted-ca", Client(RealClient.CurlDefaultTrust, lab), caTrust: RunCaTrust.Unproven);
        j.Verdict.Kind.Should().Be(ConnectionVerdictKind.Refused, c);
        j.Outcome.Should().Be(CaseOutcome.NotApplicable, c);
        j.Reason.Should().Contain("nothing shows that the device trusts the run's CA").And.Contain("MSTG_RUN_CA_TRUSTED");
        j.Findings.Should().BeEmpty();
    }

    [Theory]
    [InlineData(RunCaTrust.Installed, "the driver installed")]
    [InlineData(RunCaTrust.Confirmed, "confirmed trusted")]
    public async Task A_pinning_refusal_passes_once_trust_is_installed_or_confirmed(RunCaTrust trust, string because)
    {
        var (j, c) = await RunAsync(lab, "n4-trusted-ca", Client(RealClient.CurlPinned, lab), caTrust: trust);
        j.Outcome.Should().Be(CaseOutcome.Pass, c);
        j.Reason.Should().Contain(because);
    }

    [Fact]
    public async Task A_pinning_refusal_with_unproven_trust_is_a_skip()
    {
        var (j, c) = await RunAsync(lab, "n4-trusted-ca", Client(RealClient.CurlPinned, lab), caTrust: RunCaTrust.Unproven);
        j.Verdict.How.Should().Be(RefusalKind.ClosedAfterHandshake, c);
        j.Outcome.Should().Be(CaseOutcome.NotApplicable, c);
    }

    [Fact]
    public async Task An_accepted_connection_to_another_host_in_the_window_proves_trust()
    {
        // One window under trusted-ca: the app pins api.example.com (refused) and talks to other.example.com without a pin
        // (accepted), as an app that pins its API but not its CDN. The accepted connection shows the CA is trusted.
        await using var scope = await lab.UseConditionAsync(CertificateCondition.TrustedCa);
        var pinned = await RealClients.RunAsync(RealClient.CurlPinned, lab, scope.Proxy);
        var other = await ExternalTool.RunAsync("curl", ["-sS", "--max-time", "20", "--proxy", $"http://127.0.0.1:{scope.Proxy.Endpoint.Port}",
            "-H", "Connection: close", "--cacert", lab.DeviceTrustPem(scope.Proxy), "https://other.example.com/cdn"]);
        other.ExitCode.Should().Be(0, other.ToString());
        await scope.WaitForConnectionAsync(e => ConnectionClassifier.HostMatches(e.Host, ProxyLab.Host));
        await scope.WaitForConnectionAsync(e => ConnectionClassifier.HostMatches(e.Host, "other.example.com"));
        var window = scope.Events;
        var probe = DynamicExpectations.Get("n4-trusted-ca");

        var proven = DynamicJudge.Judge(new DynamicCase(probe, ProxyLab.Host, window, Profile.L2, CaTrust: RunCaTrust.Unproven));
        proven.Outcome.Should().Be(CaseOutcome.Pass, pinned.Evidence);
        proven.Reason.Should().Contain("accepted an intercepted connection to other.example.com");

        // The same window without the other host's connection: nothing proves trust any more.
        var alone = window.Where(e => !string.Equals(e.Host, "other.example.com", StringComparison.OrdinalIgnoreCase)).ToList();
        DynamicJudge.Judge(new DynamicCase(probe, ProxyLab.Host, alone, Profile.L2, CaTrust: RunCaTrust.Unproven))
            .Outcome.Should().Be(CaseOutcome.NotApplicable);
    }
}
