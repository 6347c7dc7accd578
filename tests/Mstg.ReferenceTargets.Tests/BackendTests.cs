using Mstg.Fixtures.Processes;
using Mstg.ReferenceTargets.Backend;

namespace Mstg.ReferenceTargets.Tests;

/// <summary>
/// The backend over real HTTPS with real curl: each name gets its own leaf (SNI), issued by the run's root, with the
/// pin the backend announces; a client without the root, or pinning another host's key, is refused.
/// </summary>
public sealed class BackendTests(ReferenceBackendFixture fixture)
{
    private ReferenceBackend Backend => fixture.Backend;

    private ProcessResult Curl(params string[] args) =>
        ExternalProcess.Run("curl", ["--silent", "--show-error", "--noproxy", "*", "--max-time", "20", .. Backend.ResolveRules.SelectMany(r => new[] { "--resolve", r }), .. args]);

    [Theory]
    [InlineData(ReferenceHosts.Api)]
    [InlineData(ReferenceHosts.Auth)]
    [InlineData(ReferenceHosts.Cdn)]
    public void Each_host_name_is_served_with_its_own_leaf_from_the_reference_root(string host)
    {
        var ok = Curl("--fail", "--cacert", Backend.RootPemPath, "--pinnedpubkey", "sha256//" + Backend.SpkiPin(host), Backend.HttpsUrl(host, "/health").ToString());
        ok.ExitCode.Should().Be(0, ok.ToString());
        ok.StandardOutput.Should().Be("ok");

        var other = ReferenceHosts.All.First(h => h != host);
        var wrongPin = Curl("--fail", "--cacert", Backend.RootPemPath, "--pinnedpubkey", "sha256//" + Backend.SpkiPin(other), Backend.HttpsUrl(host, "/health").ToString());
        wrongPin.ExitCode.Should().Be(90, "curl's 'SSL public key does not match pinned public key': the leaf is this host's, not " + other + "\n" + wrongPin);
    }

    [Fact]
    public void Leaf_keys_are_distinct_per_host_and_stable_for_the_run()
    {
        ReferenceHosts.All.Select(Backend.SpkiPin).Distinct().Should().HaveCount(3);
        ReferenceHosts.All.Select(Backend.SpkiPin).Should().Equal(ReferenceHosts.All.Select(Backend.SpkiPin));
    }

    [Fact]
    public void Without_the_reference_root_curl_refuses_the_certificate()
    {
        var run = Curl("--fail", Backend.HttpsUrl(ReferenceHosts.Api, "/health").ToString());
        run.ExitCode.Should().Be(60, "curl's 'peer certificate cannot be authenticated with given CA certificates'\n" + run);
    }

    [Fact]
    public void An_unknown_name_gets_the_api_leaf_and_fails_the_name_check()
    {
        var rule = $"other.mstg-ref.test:{Backend.HttpsPort}:127.0.0.1";
        var run = Curl("--fail", "--cacert", Backend.RootPemPath, "--resolve", rule, $"https://other.mstg-ref.test:{Backend.HttpsPort}/health");
        run.ExitCode.Should().Be(60, "the certificate is for api.mstg-ref.test, not the name asked for\n" + run);
    }

    [Fact]
    public void Plain_http_port_answers_on_every_name()
    {
        foreach (var host in ReferenceHosts.All)
        {
            var run = Curl("--fail", Backend.HttpUrl(host, "/cdn/lib.js").ToString());
            run.ExitCode.Should().Be(0, run.ToString());
            run.StandardOutput.Should().Contain("mstgCdnLoaded");
        }
        Backend.Requests.Should().Contain(r => r.Host == ReferenceHosts.Cdn && r.Scheme == "http" && r.Path == "/cdn/lib.js");
    }

    [Fact]
    public void Login_returns_a_token_the_profile_accepts_and_refuses_wrong_credentials()
    {
        var login = Curl("--fail", "--cacert", Backend.RootPemPath, "--json", """{"user": "alice", "password": "reference-password"}""", Backend.HttpsUrl(ReferenceHosts.Auth, "/api/login").ToString());
        login.ExitCode.Should().Be(0, login.ToString());
        var token = System.Text.Json.JsonDocument.Parse(login.StandardOutput).RootElement.GetProperty("token").GetString();

        var profile = Curl("--fail", "--cacert", Backend.RootPemPath, "-H", "Authorization: Bearer " + token, Backend.HttpsUrl(ReferenceHosts.Auth, "/api/profile").ToString());
        profile.ExitCode.Should().Be(0, profile.ToString());
        profile.StandardOutput.Should().Contain("\"user\":\"alice\"");

        Curl("--cacert", Backend.RootPemPath, "-o", "/dev/null", "-w", "%{http_code}", "--json", """{"user": "alice", "password": "guess"}""", Backend.HttpsUrl(ReferenceHosts.Auth, "/api/login").ToString())
            .StandardOutput.Should().Be("401");
        Curl("--cacert", Backend.RootPemPath, "-o", "/dev/null", "-w", "%{http_code}", Backend.HttpsUrl(ReferenceHosts.Api, "/api/profile").ToString())
            .StandardOutput.Should().Be("401");
    }
}
