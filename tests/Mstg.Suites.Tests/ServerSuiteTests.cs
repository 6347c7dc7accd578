using Mstg.Fixtures.Tls;
using Spec = Mstg.Fixtures.Tls.TestPki.LeafSpec;

namespace Mstg.Suites.Tests;

/// <summary>
/// The server suite (suites/Mstg.Suites/Server) run as a process against real loopback servers (openssl s_server from
/// fixtures/Mstg.Fixtures.Tls), filtered with <c>-trait Kind=server</c> as users filter it: the good server's rows pass, a
/// TLS 1.0-only and an expired server fail with the finding named, a port nobody listens on is an environment problem
/// (Allure: broken), and a run with no endpoint skips every server check with the reason instead of passing.
/// </summary>
public sealed class ServerSuiteTests(ServerSuiteTests.Servers servers) : IClassFixture<ServerSuiteTests.Servers>
{
    private const string N2 = "MSTG-NETWORK-2/Server", N4 = "MSTG-NETWORK-4/Server";

    public sealed class Servers : IAsyncLifetime
    {
        public TestPki Pki { get; } = new();
        public LocalTlsServer Good { get; private set; } = null!;
        public LocalTlsServer Tls10 { get; private set; } = null!;
        public LocalTlsServer Expired { get; private set; } = null!;
        public int Refused { get; } = LocalTlsServer.FreePort();
        private SuiteRun? _run;

        /// <summary>One suite run over the four endpoints, made when the first test asks.</summary>
        public SuiteRun Run => _run ??= SuiteRun.Start(null, "L1", new Dictionary<string, string>
        {
            ["MSTG_ALLOW_NO_APP"] = "1",
            ["MSTG_SERVER_ENDPOINTS"] = $"{Good.Target()},{Tls10.Target()};{Expired.Target()},127.0.0.1:{Refused}",
            ["MSTG_SERVER_TRUST"] = Pki.TrustFile,
        }, ["Kind=server"]);

        private SuiteRun? _waived;

        /// <summary>
        /// The TLS 1.0-only and expired endpoints with waivers: the expired one's finding waived for its own endpoint, the
        /// legacy-version finding waived for the expired endpoint (same host, another port), which does not cover the TLS 1.0 one;
        /// the ATS finding both servers have waived for the host on every port.
        /// </summary>
        public SuiteRun WaivedRun => _waived ??= SuiteRun.Start(null, "L1", new Dictionary<string, string>
        {
            ["MSTG_ALLOW_NO_APP"] = "1",
            ["MSTG_SERVER_ENDPOINTS"] = $"{Tls10.Target()},{Expired.Target()}",
            ["MSTG_SERVER_TRUST"] = Pki.TrustFile,
            ["MSTG_WAIVERS"] = SuiteWaiverTests.Write($$"""
                { "waivers": [
                  { "rule": "SERVER-CERT-EXPIRED", "endpoint": "{{Expired.Target()}}", "justification": "Renewal ticket OPS-12", "expires": "2099-12-31" },
                  { "rule": "SERVER-TLS-LEGACY-VERSION", "endpoint": "{{Expired.Target()}}", "justification": "Wrong port on purpose", "expires": "2099-12-31" },
                  { "rule": "SERVER-ATS-FAIL", "endpoint": "localhost", "justification": "Every port of this host: ATS exception in the app (SEC-9)", "expires": "2099-12-31" }
                ] }
                """),
        }, ["Kind=server"]);

        public async ValueTask InitializeAsync()
        {
            string[] modern = ["-no_ssl3", "-no_tls1", "-no_tls1_1", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"];
            Good = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, modern);
            Tls10 = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), true, "-tls1", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0");
            Expired = await LocalTlsServer.OpenSslAsync(Pki, new Spec { NotBefore = DateTimeOffset.UtcNow.AddDays(-60), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) }, false, modern);
        }

        public async ValueTask DisposeAsync()
        {
            await Good.DisposeAsync();
            await Tls10.DisposeAsync();
            await Expired.DisposeAsync();
            Pki.Dispose();
        }
    }

    private SuiteTestResult Row(string endpoint, string check) => servers.Run.Tests.Single(t => t.App.Contains(endpoint, StringComparison.Ordinal) && t.Check == check);

    [Fact]
    public void Good_server_passes_and_tls10_only_and_expired_servers_fail_naming_the_finding()
    {
        var run = servers.Run;
        Row(servers.Good.Target(), N2).Result.Should().Be("Pass", run.Output);

        var tls10 = Row(servers.Tls10.Target(), N2);
        tls10.Result.Should().Be("Fail");
        tls10.Message.Should().Contain("[weak-tls] MSTG-NETWORK-2").And.Contain("SERVER-TLS-LEGACY-VERSION").And.Contain(servers.Tls10.Target());

        var expired = Row(servers.Expired.Target(), N2);
        expired.Result.Should().Be("Fail");
        expired.Message.Should().Contain("SERVER-CERT-EXPIRED").And.NotContain("SERVER-TLS-LEGACY-VERSION");
        run.ExitCode.Should().NotBe(0, "a failing server row fails the run");
    }

    [Fact]
    public void A_waiver_for_the_endpoint_skips_its_failing_row_and_one_for_another_port_covers_nothing()
    {
        var run = servers.WaivedRun;
        var expired = run.Tests.Single(t => t.App.Contains(servers.Expired.Target(), StringComparison.Ordinal) && t.Check == N2);
        expired.Result.Should().Be("Skip", run.Output);
        expired.Message.Should().StartWith("[waived]").And.Contain("SERVER-CERT-EXPIRED").And.Contain("Renewal ticket OPS-12")
            .And.Contain("SERVER-ATS-FAIL").And.Contain("(SEC-9)");

        var tls10 = run.Tests.Single(t => t.App.Contains(servers.Tls10.Target(), StringComparison.Ordinal) && t.Check == N2);
        tls10.Result.Should().Be("Fail", "the waiver names the expired server's port, not this one");
        tls10.Message.Should().Contain("SERVER-TLS-LEGACY-VERSION").And.NotContain("Wrong port on purpose")
            .And.Contain("1 of 2 failing finding(s) are waived").And.Contain("waived: SERVER-ATS-FAIL");
        run.Output.Should().Contain("STALE (server) SERVER-TLS-LEGACY-VERSION endpoint").And.NotContain("STALE (server) SERVER-CERT-EXPIRED");
    }

    [Fact]
    public void Unreachable_endpoint_is_an_environment_problem_broken_in_allure_never_a_pass()
    {
        var refused = $"127.0.0.1:{servers.Refused}";
        var row = Row(refused, N2);
        row.Result.Should().Be("Fail");
        row.Message.Should().Contain("[environment] Not tested").And.Contain(refused).And.Contain("could not be probed");
        servers.Run.AllureResultFiles.Where(r => r.GetProperty("name").GetString()!.Contains(refused, StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(r => r.GetProperty("status").GetString() == "broken");
    }

    [Fact]
    public void Kind_server_filter_selects_one_row_per_endpoint_per_server_check_with_requirement_and_level_traits()
    {
        var tests = servers.Run.Tests;
        tests.Should().HaveCount(2 * 4, "two server checks (MSTG-NETWORK-2, MSTG-NETWORK-4) × four endpoints, and nothing else");
        tests.Should().OnlyContain(t => t.Traits["Kind"].Contains("server"));
        tests.Where(t => t.Check == N4).Should().OnlyContain(t => t.Traits["Level"].Single() == "L2");
        tests.Where(t => t.Check == N2).Should().OnlyContain(t => t.Traits["Level"].Single() == "L1");
        // Without an app there are no pins to compare: skipped with the reason, never passed (the unreachable endpoint stays broken).
        tests.Where(t => t.Check == N4 && !t.App.Contains("127.0.0.1", StringComparison.Ordinal))
            .Should().OnlyContain(t => t.Result == "Skip" && t.Message.Contains("MSTG_APP"));
    }

    [Fact]
    public void Without_endpoints_every_server_check_skips_with_the_reason()
    {
        var run = SuiteRun.Start(null, "L1", new Dictionary<string, string> { ["MSTG_ALLOW_NO_APP"] = "1" }, ["Kind=server"]);
        run.Tests.Select(t => t.Check).Should().BeEquivalentTo([N2, N4]);
        run.Tests.Should().OnlyContain(t => t.Result == "Skip" && t.Message.Contains("MSTG_SERVER_ENDPOINTS"));
    }
}
