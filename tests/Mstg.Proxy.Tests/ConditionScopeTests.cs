using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy.Tests;

/// <summary>
/// A test's view of the proxy, in process and out of process alike: every event type reaches <see cref="ProxyHost.Events"/>,
/// a condition scope holds exactly the connections made under it, and disposing it puts the previous condition
/// back, also when the code inside threw. Real curl and .NET clients through a real proxy to a real origin.
/// </summary>
public sealed class ConditionScopeTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TestOrigin _tls = new("api.example.com");
    private readonly TestOrigin _plain = new(false, "plain.example.com");
    private readonly string _dir = Directory.CreateTempSubdirectory("mstg-scope-").FullName;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        await _plain.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    private async Task<ProxyHost> StartAsync(bool outOfProcess)
    {
        var proxy = await ProxyHost.StartAsync(new ProxyOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Condition = CertificateCondition.TrustedCa,
            Scope = ["*.example.com"],
            HostMap = new Dictionary<string, string>
            {
                ["api.example.com"] = $"127.0.0.1:{_tls.Port}",
                ["plain.example.com"] = $"127.0.0.1:{_plain.Port}",
            },
            UpstreamTrustedRoots = [_tls.CaCertificate],
        }, legacyTls: outOfProcess, TestContext.Current.CancellationToken);
        proxy.IsOutOfProcess.Should().Be(outOfProcess);
        File.WriteAllText(TrustPem(proxy), proxy.CaCertificate.ExportCertificatePem() + "\n" + _tls.CaCertificate.ExportCertificatePem() + "\n");
        return proxy;
    }

    private string TrustPem(ProxyHost proxy) => Path.Combine(_dir, $"trust-{proxy.Endpoint.Port}.pem");

    /// <summary>curl trusting the run CA (a validating app with the CA installed); true when the origin answered.</summary>
    private async Task<bool> CurlAsync(ProxyHost proxy, string path)
    {
        var r = await ExternalTool.RunAsync("curl", ["-sS", "--max-time", "20", "--proxy", $"http://127.0.0.1:{proxy.Endpoint.Port}",
            "--cacert", TrustPem(proxy), "-H", "Connection: close", $"https://api.example.com{path}"]);
        return r.ExitCode == 0 && r.Stdout.Contains($"origin saw GET {path}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_event_type_reaches_the_hosts_log_and_the_har(bool outOfProcess)
    {
        await using var proxy = await StartAsync(outOfProcess);
        var window = proxy.OpenWindow();

        (await CurlAsync(proxy, "/decrypted")).Should().BeTrue();                  // connection + flow
        (await RejectedInsideTunnelAsync(proxy)).Should().StartWith("HTTP/1.1 400"); // rejected
        await proxy.SetConditionAsync(CertificateCondition.UntrustedCa);           // condition

        foreach (var type in EventTypes.All)
            await window.WaitForAsync(e => e.Type == type, Wait);
        window.Flows.Should().ContainSingle(f => f.Url == "https://api.example.com/decrypted" && f.Status == 200);
        window.Rejections.Should().ContainSingle(r => r.Status == 400);
        var har = await proxy.ReadHarAsync(TestContext.Current.CancellationToken);
        har["log"]!["entries"]!.AsArray().Select(e => (string?)e!["request"]!["url"]).Should().Contain("https://api.example.com/decrypted");
    }

    /// <summary>Plain HTTP inside CONNECT with a framing the proxy refuses: a "rejected" event, not a connection end.</summary>
    private static async Task<string> RejectedInsideTunnelAsync(ProxyHost proxy)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, proxy.Endpoint.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("CONNECT plain.example.com:80 HTTP/1.1\r\nHost: plain.example.com:80\r\n\r\n"));
        await ReadHeadAsync(stream);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /x HTTP/1.1\r\nHost: plain.example.com\r\nTransfer-Encoding: gzip\r\n\r\n"));
        return await ReadHeadAsync(stream);
    }

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(Wait);
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, timeout.Token) == 1) head.Append((char)one[0]);
        return head.ToString();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_scope_holds_only_the_connections_made_under_its_condition_and_puts_the_previous_one_back(bool outOfProcess)
    {
        await using var proxy = await StartAsync(outOfProcess);
        (await CurlAsync(proxy, "/before")).Should().BeTrue("trusted-ca with the run CA trusted");
        await proxy.Events.WaitForAsync(e => e.Type == EventTypes.Connection && e.Outcome == ConnectionOutcome.Accepted, Wait);

        ConditionScope scope;
        await using (scope = await proxy.UseConditionAsync(CertificateCondition.UntrustedCa))
        {
            proxy.Condition.Should().Be(CertificateCondition.UntrustedCa);
            scope.Previous.Should().Be(CertificateCondition.TrustedCa);
            scope.Descriptor.Requirement.Should().Be(ConditionCatalog.Network3);
            (await CurlAsync(proxy, "/during")).Should().BeFalse("the app must refuse a CA it does not trust");
            var refused = await scope.WaitForConnectionAsync(e => e.Host == "api.example.com");
            refused.Outcome.Should().Be(ConnectionOutcome.Refused);
            refused.Condition.Should().Be("untrusted-ca");
            scope.Events[0].Type.Should().Be(EventTypes.Condition, "the window starts with the switch");
        }

        proxy.Condition.Should().Be(CertificateCondition.TrustedCa);
        (await CurlAsync(proxy, "/after")).Should().BeTrue("the previous condition is back");
        await proxy.Events.WaitForAsync(e => e.Type == EventTypes.Flow && e.Url!.EndsWith("/after", StringComparison.Ordinal), Wait);
        await proxy.Events.WaitForAsync(e => e.Type == EventTypes.Connection && e.ConditionGeneration == scope.Generation + 1, Wait);
        scope.Connections.Should().ContainSingle("the connections before and after the scope are not its own")
            .Which.Outcome.Should().Be(ConnectionOutcome.Refused);
        scope.Flows.Should().BeEmpty();
        scope.Events.Should().Contain(e => e.Type == EventTypes.Flow && e.Url!.EndsWith("/after", StringComparison.Ordinal),
            "the window itself stays open; only the scope's own generation counts as its connections");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_scope_puts_the_previous_condition_back_when_the_code_inside_throws(bool outOfProcess)
    {
        await using var proxy = await StartAsync(outOfProcess);
        var act = async () =>
        {
            await using var scope = await proxy.UseConditionAsync(CertificateCondition.Expired);
            (await CurlAsync(proxy, "/expired")).Should().BeFalse();
            throw new InvalidOperationException("the test failed inside the scope");
        };
        await act.Should().ThrowAsync<InvalidOperationException>();

        proxy.Condition.Should().Be(CertificateCondition.TrustedCa);
        (await CurlAsync(proxy, "/after-failure")).Should().BeTrue("the proxy itself, not only the property, is back at trusted-ca");
        proxy.Events.Snapshot().Where(e => e.Type == EventTypes.Condition).Select(e => e.Condition).Should().Equal("expired", "trusted-ca");
    }

    [Fact]
    public async Task Nested_scopes_restore_in_reverse_order_and_each_starts_a_generation()
    {
        await using var proxy = await StartAsync(outOfProcess: false);
        proxy.ConditionGeneration.Should().Be(1);
        await using (var outer = await proxy.UseConditionAsync(CertificateCondition.SelfSigned))
        {
            outer.Generation.Should().Be(2);
            await using (var inner = await proxy.UseConditionAsync(CertificateCondition.WrongHost))
            {
                inner.Generation.Should().Be(3);
                inner.Previous.Should().Be(CertificateCondition.SelfSigned);
            }
            proxy.Condition.Should().Be(CertificateCondition.SelfSigned);
        }
        proxy.Condition.Should().Be(CertificateCondition.TrustedCa);
        proxy.ConditionGeneration.Should().Be(5);
    }

    /// <summary>
    /// A connection open before the scope is closed by the switch and recorded after the scope began; it ran under
    /// the previous setting, so it is among the scope's events but not among its connections.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_connection_closed_by_the_switch_is_not_one_of_the_scopes_connections(bool outOfProcess)
    {
        await using var proxy = await StartAsync(outOfProcess);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(proxy.CaCertificate);
        policy.CustomTrustStore.Add(_tls.CaCertificate);
        using var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy($"http://127.0.0.1:{proxy.Endpoint.Port}"), UseProxy = true,
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
        };
        using var http = new HttpClient(handler) { Timeout = Wait };
        (await http.GetStringAsync("https://api.example.com/keep-alive")).Should().Contain("origin saw GET /keep-alive");

        await using var scope = await proxy.UseConditionAsync(CertificateCondition.SelfSigned);
        var closed = await proxy.Events.WaitForAsync(e => e.Type == EventTypes.Connection && e.ConditionGeneration == 1, Wait, after: scope.Window.Start);
        closed.Should().Match<ProxyEvent>(e => e.Condition == "trusted-ca" && e.Requests == 1 && e.Outcome == ConnectionOutcome.Accepted,
            "it is the keep-alive connection opened before the scope");
        scope.Events.Should().Contain(closed);
        scope.Connections.Should().BeEmpty();
    }
}
