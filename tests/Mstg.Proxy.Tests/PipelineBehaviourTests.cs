using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

public sealed class PipelineBehaviourTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Absolute_form_request_is_relayed_and_recorded_as_cleartext()
    {
        await using var env = PipelineEnv.Start();
        var r = await env.CurlAsync("http://plain.example.com/login?user=bob");
        r.Stdout.Should().Contain("origin saw GET /login?user=bob host=plain.example.com", r.ToString());
        var e = await env.Server.Events.WaitForAsync(x => x.Outcome == ConnectionOutcome.Cleartext, Wait);
        e.Method.Should().Be("GET");
        e.Url.Should().Be("http://plain.example.com/login?user=bob");
        e.Mode.Should().Be("absolute-form");
        e.InScope.Should().BeTrue();
    }

    [Fact]
    public async Task Client_that_sent_a_request_accepted_the_certificate_even_when_the_origin_is_down()
    {
        // The origin for down.example.com refuses connections, so the proxy answers 502 inside the intercepted
        // connection. The client sent a request over it: it trusted the certificate. Recording that as a refusal
        // after the handshake would be false pinning evidence whenever a backend is down.
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var env = PipelineEnv.Start(o => o with
        {
            HostMap = new Dictionary<string, string>(o.HostMap) { ["down.example.com"] = $"127.0.0.1:{deadPort}" },
        });
        var r = await env.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", "https://down.example.com/v1/me");
        r.Stdout.Should().Be("502", r.ToString());
        var e = await env.Server.Events.WaitForAsync(x => x.Type == "connection" && x.Host == "down.example.com", Wait);
        e.Outcome.Should().Be(ConnectionOutcome.Accepted, e.Detail);
        e.HandshakeCompleted.Should().BeTrue();
        e.Detail.Should().NotContain("pinning");
    }

    [Fact]
    public async Task Plain_http_inside_connect_is_recorded_as_cleartext()
    {
        await using var env = PipelineEnv.Start();
        var r = await env.CurlAsync("--proxytunnel", "http://plain.example.com:80/inside");
        r.Stdout.Should().Contain("origin saw GET /inside", r.ToString());
        var e = await env.Server.Events.WaitForAsync(x => x.Outcome == ConnectionOutcome.Cleartext, Wait);
        e.Mode.Should().Be("connect-http");
        e.Url.Should().Be("http://plain.example.com/inside");
        e.Requests.Should().Be(1);
    }

    [Fact]
    public async Task Non_tls_bytes_in_a_tunnel_are_recorded_and_tunnelled()
    {
        await using var env = PipelineEnv.Start();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(env.Server.Endpoint);
        var s = tcp.GetStream();
        await s.WriteAsync("CONNECT plain.example.com:22 HTTP/1.1\r\nHost: plain.example.com:22\r\n\r\n"u8.ToArray());
        var buf = new byte[256];
        var n = await s.ReadAsync(buf);
        System.Text.Encoding.ASCII.GetString(buf, 0, n).Should().StartWith("HTTP/1.1 200");
        await s.WriteAsync("SSH-2.0-OpenSSH_9.2\r\n"u8.ToArray());
        tcp.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var e = await env.Server.Events.WaitForAsync(x => x.Outcome == ConnectionOutcome.NonTls, Wait);
        e.Detail.Should().Contain(Convert.ToHexString("SSH-2.0"u8).ToLowerInvariant());
        e.Port.Should().Be(22);
    }

    [Fact]
    public async Task Out_of_scope_hosts_are_tunnelled_untouched_even_when_the_condition_would_refuse()
    {
        await using var env = PipelineEnv.Start(o => o with { Condition = CertificateCondition.SelfSigned });
        var r = await env.CurlAsync("https://out.example.net/untouched");
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stdout.Should().Contain("origin saw GET /untouched");
        var e = await env.Server.Events.WaitForAsync(x => x.Type == "connection" && x.Host == "out.example.net", Wait);
        e.Outcome.Should().Be(ConnectionOutcome.Tunnelled);
        e.InScope.Should().BeFalse();
        e.ClientHello!.Sni.Should().Be("out.example.net");
        // And the in-scope host under the same condition is refused: the scope is what made the difference.
        (await env.CurlAsync("https://api.example.com/x")).ExitCode.Should().NotBe(0);
        (await env.Server.Events.WaitForAsync(x => x.Type == "connection" && x.Host == "api.example.com", Wait)).Outcome.Should().Be(ConnectionOutcome.Refused);
    }

    [Theory]
    [InlineData("1.2", "TLS1.2")]
    [InlineData("1.3", "TLS1.3")]
    public async Task Passthrough_records_what_the_origin_negotiated(string tlsMax, string expected)
    {
        await using var env = PipelineEnv.Start(o => o with { Condition = CertificateCondition.Passthrough });
        var r = await env.CurlAsync("--tls-max", tlsMax, "https://api.example.com/pass");
        r.Stdout.Should().Contain("origin saw GET /pass", r.ToString());
        var e = await env.Server.Events.WaitForAsync(x => x.Type == "connection" && x.Host == "api.example.com", Wait);
        e.Outcome.Should().Be(ConnectionOutcome.Tunnelled);
        e.NegotiatedProtocol.Should().Be(expected);
        e.NegotiatedCipherSuite.Should().StartWith("TLS_");
    }

    [Fact]
    public async Task Well_known_host_serves_the_run_ca_through_the_proxy()
    {
        await using var env = PipelineEnv.Start();
        var pem = await env.CurlAsync("http://mstg.proxy/ca.pem");
        pem.Stdout.Trim().Should().Be(env.Server.Ca.ExportCertificatePem().Trim());
        var profile = await env.CurlAsync("-D", "-", "http://mstg.proxy/ca.mobileconfig");
        profile.Stdout.Should().Contain("application/x-apple-aspen-config").And.Contain("com.apple.security.root");
        var key = await env.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", "http://mstg.proxy/ca.key");
        key.Stdout.Should().Be("404");
    }

    [Fact]
    public async Task Swapping_the_condition_closes_open_connections_and_applies_to_new_ones()
    {
        await using var env = PipelineEnv.Start();
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(env.Server.Ca.Certificate);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            Proxy = new WebProxy(env.ProxyUrl), UseProxy = true,
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
        });
        (await http.GetStringAsync("https://api.example.com/one")).Should().Contain("origin saw GET /one");
        env.Server.OpenConnections.Should().BeGreaterThan(0, "keep-alive holds the intercepted connection open");
        // The decrypted request is evidence right away, while the connection is still open.
        var flow = await env.Server.Events.WaitForAsync(x => x.Type == "flow", Wait);
        flow.Url.Should().Be("https://api.example.com/one");
        flow.Status.Should().Be(200);
        flow.Mode.Should().Be("intercept");
        env.Server.Events.Snapshot().Should().NotContain(x => x.Type == "connection", "the connection has not ended yet");

        env.Server.SetCondition(CertificateCondition.UntrustedCa);
        var closed = await env.Server.Events.WaitForAsync(x => x.Outcome == ConnectionOutcome.Accepted, Wait);
        closed.Requests.Should().Be(1);
        flow.ConnectionId.Should().Be(closed.Id);
        closed.Detail.Should().Contain("condition change");
        closed.Condition.Should().Be("trusted-ca");

        var again = async () => await http.GetStringAsync("https://api.example.com/two");
        await again.Should().ThrowAsync<HttpRequestException>();
        var refused = await env.Server.Events.WaitForAsync(x => x.Condition == "untrusted-ca" && x.Type == "connection", Wait);
        refused.Outcome.Should().Be(ConnectionOutcome.Refused);
        env.Server.Events.Snapshot().Should().Contain(x => x.Type == "condition" && x.Condition == "untrusted-ca");
    }

    [Fact]
    public async Task Har_and_event_log_record_decrypted_flows_with_secrets_redacted()
    {
        var har = Path.Combine(Path.GetTempPath(), $"mstg-har-{Guid.NewGuid():n}.har");
        var events = har + ".jsonl";
        try
        {
            await using (var env = PipelineEnv.Start(o => o with { HarPath = har, EventsPath = events }))
            {
                var r = await env.CurlAsync("-H", "Authorization: Bearer abcdefghijklmnop", "-H", "Cookie: sid=12345",
                    "-d", "{\"password\":\"hunter2\",\"name\":\"bob\"}", "-H", "Content-Type: application/json",
                    "https://api.example.com/api?access_token=tok123&page=2");
                r.Stdout.Should().Contain("origin saw POST /api?access_token=tok123&page=2", r.ToString());
                await env.Server.Events.WaitForAsync(x => x.Outcome == ConnectionOutcome.Accepted, Wait);
            } // the HAR is written when the proxy stops
            var harText = await File.ReadAllTextAsync(har);
            using var doc = JsonDocument.Parse(harText);
            var log = doc.RootElement.GetProperty("log");
            log.GetProperty("version").GetString().Should().Be("1.2");
            var entry = log.GetProperty("entries")[0];
            entry.GetProperty("request").GetProperty("method").GetString().Should().Be("POST");
            entry.GetProperty("request").GetProperty("url").GetString().Should().StartWith("https://api.example.com/api?");
            entry.GetProperty("response").GetProperty("status").GetInt32().Should().Be(200);
            entry.GetProperty("response").GetProperty("content").GetProperty("text").GetString().Should().Contain("origin saw POST");
            harText.Should().NotContain("abcdefghijklmnop").And.NotContain("sid=12345").And.NotContain("hunter2")
                .And.NotContain("tok123").And.NotContain("s3cr3t-origin-cookie");
            harText.Should().Contain(Redactor.Mask).And.Contain("page=2").And.Contain("bob");

            var lines = await File.ReadAllLinesAsync(events);
            lines.Should().Contain(l => l.Contains("\"outcome\":\"Accepted\""));
            foreach (var line in lines) JsonDocument.Parse(line).RootElement.GetProperty("type").GetString().Should().NotBeNull();
            string.Join("\n", lines).Should().NotContain("tok123");
        }
        finally
        {
            File.Delete(har);
            File.Delete(events);
        }
    }

    [Fact]
    public async Task Redaction_can_be_switched_off()
    {
        var har = Path.Combine(Path.GetTempPath(), $"mstg-har-{Guid.NewGuid():n}.har");
        try
        {
            await using (var env = PipelineEnv.Start(o => o with { HarPath = har, Redact = false }))
            {
                await env.CurlAsync("-H", "Authorization: Bearer abcdefghijklmnop", "https://api.example.com/x?token=tok123");
                await env.Server.Events.WaitForAsync(x => x.Outcome == ConnectionOutcome.Accepted, Wait);
            }
            var text = await File.ReadAllTextAsync(har);
            text.Should().Contain("abcdefghijklmnop").And.Contain("tok123").And.Contain("s3cr3t-origin-cookie");
        }
        finally { File.Delete(har); }
    }

    [Fact]
    public async Task Proxy_authentication_is_required_when_configured()
    {
        await using var env = PipelineEnv.Start(o => o with { ProxyCredentials = new NetworkCredential("tester", "pw") });
        var denied = await env.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", "http://plain.example.com/");
        denied.Stdout.Should().Be("407");
        var ok = await env.CurlAsync("--proxy-user", "tester:pw", "https://api.example.com/authed");
        ok.Stdout.Should().Contain("origin saw GET /authed", ok.ToString());
        var wrong = await env.CurlAsync("--proxy-user", "tester:nope", "https://api.example.com/authed");
        wrong.ExitCode.Should().NotBe(0);
    }

    [Fact]
    public void Binding_beyond_loopback_needs_an_explicit_flag_and_credentials()
    {
        var any = new IPEndPoint(IPAddress.Any, 0);
        var noFlag = () => new Mstg.Proxy.Pipeline.ProxyServer(new() { Listen = any });
        noFlag.Should().Throw<MstgInputException>().WithMessage("*not loopback*");
        var noAuth = () => new Mstg.Proxy.Pipeline.ProxyServer(new() { Listen = any, AllowNonLoopback = true });
        noAuth.Should().Throw<MstgInputException>().WithMessage("*credentials*");
    }

    [Fact]
    public async Task Unreachable_origin_gives_502_and_an_error_event()
    {
        await using var env = PipelineEnv.Start(o => o with
        {
            HostMap = new Dictionary<string, string>(o.HostMap) { ["dead.example.com"] = "127.0.0.1:1" },
        });
        var r = await env.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", "http://dead.example.com/");
        r.Stdout.Should().Be("502");
        var e = await env.Server.Events.WaitForAsync(x => x.Outcome == ConnectionOutcome.Error, Wait);
        e.Detail.Should().Contain("dead.example.com");
    }

    [Fact]
    public async Task Origin_connections_are_reused_across_client_connections_and_dropped_ones_replaced()
    {
        await using var env = PipelineEnv.Start();
        for (var i = 0; i < 3; i++)
        {
            (await env.CurlAsync($"https://api.example.com/pooled/{i}")).Stdout.Should().Contain($"origin saw GET /pooled/{i}");
            // curl exits on the response; the proxy pools the origin connection only when it reads curl's close.
            var deadline = DateTime.UtcNow + Wait;
            while (env.Server.IdleUpstreamConnections == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        }
        env.Tls.RequestCount.Should().Be(3);
        env.Tls.ConnectionCount.Should().Be(1, "three client connections in a row share one pooled origin connection");

        env.Tls.DropConnections(); // the origin closes its idle keep-alive connection
        (await env.CurlAsync("https://api.example.com/after-drop")).Stdout.Should().Contain("origin saw GET /after-drop");
        env.Tls.ConnectionCount.Should().Be(2);
    }

    [Fact]
    public async Task Unreachable_origin_of_a_tunnel_is_an_error_event_naming_the_host()
    {
        await using var env = PipelineEnv.Start(o => o with
        {
            Condition = CertificateCondition.Passthrough,
            HostMap = new Dictionary<string, string>(o.HostMap) { ["dead.example.com"] = "127.0.0.1:1" },
        });
        (await env.CurlAsync("https://dead.example.com/")).ExitCode.Should().NotBe(0);
        var e = await env.Server.Events.WaitForAsync(x => x.Type == "connection", Wait);
        e.Outcome.Should().Be(ConnectionOutcome.Error);
        e.Host.Should().Be("dead.example.com");
        e.Mode.Should().Be("upstream");
        e.ClientHello!.Sni.Should().Be("dead.example.com");
    }

    [Fact]
    public async Task Upstream_is_validated_so_an_untrusted_origin_is_never_relayed()
    {
        // Trust only the system store upstream: the test origin's private CA is unknown there.
        await using var env = PipelineEnv.Start(o => o with { UpstreamTrustedRoots = null });
        var r = await env.CurlAsync("-w", "%{http_code}", "https://api.example.com/x");
        r.Stdout.Should().NotContain("origin saw");
        r.Stdout.Should().EndWith("502");
        (await env.Server.Events.WaitForAsync(x => x.Type == "connection" && x.Host == "api.example.com", Wait)).Detail.Should().Contain("upstream TLS");
    }
}
