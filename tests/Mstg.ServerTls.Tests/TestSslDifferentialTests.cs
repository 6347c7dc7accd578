using System.Globalization;
using System.Text.Json;
using Mstg.Fixtures.Processes;
using Mstg.Fixtures.Tls;
using Mstg.Tls.Raw;
using Spec = Mstg.Fixtures.Tls.TestPki.LeafSpec;

namespace Mstg.ServerTls.Tests;

/// <summary>
/// Differential test against Debian's testssl.sh on the same real servers: the accepted protocols and the accepted
/// cipher suites must agree. testssl.sh runs on loopback only (<c>-p -e --jsonfile</c>). Where the two tools can
/// differ by design, the case says why (SSLv2, which we do not probe, is left out of the comparison).
/// </summary>
public sealed class TestSslDifferentialTests(PkiFixture pki) : IClassFixture<PkiFixture>
{
    private TestPki Pki => pki.Pki;

    public static TheoryData<string> Cases => ["modern-nginx", "tls13-only", "tls10-only", "rsa-kx-only", "null-cipher", "openssl-defaults"];

    private Task<LocalTlsServer> StartAsync(string name) => name switch
    {
        "modern-nginx" => LocalTlsServer.NginxAsync(Pki, new Spec { ByIntermediate = true }, "TLSv1.2 TLSv1.3", ServerConfigurationTests.Modern),
        "tls13-only" => LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, "-tls1_3"),
        "tls10-only" => LocalTlsServer.OpenSslAsync(Pki, new Spec(), true, "-tls1", "-cipher", "ECDHE-RSA-AES128-SHA:AES256-SHA:@SECLEVEL=0"),
        "rsa-kx-only" => LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, "-tls1_2", "-cipher", "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA"),
        "null-cipher" => LocalTlsServer.OpenSslAsync(Pki, new Spec(), true, [.. ServerConfigurationTests.Tls12And13, "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-NULL-SHA:@SECLEVEL=0"]),
        // Debian's defaults: TLS 1.2 and 1.3 with every suite OpenSSL enables at security level 2 (about thirty).
        "openssl-defaults" => LocalTlsServer.OpenSslAsync(Pki, new Spec(), false),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static readonly Dictionary<string, ushort> TestSslProtocolIds = new()
    {
        ["SSLv3"] = TlsCatalog.Ssl30, ["TLS1"] = TlsCatalog.Tls10, ["TLS1_1"] = TlsCatalog.Tls11, ["TLS1_2"] = TlsCatalog.Tls12, ["TLS1_3"] = TlsCatalog.Tls13,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Protocols_and_cipher_suites_agree_with_testssl(string name)
    {
        await using var server = await StartAsync(name);
        var (report, _) = await ServerConfigurationTests.ProbeAsync(server, Pki);
        var ours = report.Protocols.ToDictionary(p => p.Version, p => p.Accepted);
        var ourSuites = report.AcceptedProtocols.SelectMany(p => p.Suites.Select(s => s.Value)).ToHashSet();

        var json = Path.Combine(server.Directory, "testssl.json");
        var run = await ExternalProcess.RunAsync("testssl",
            ["--quiet", "--color", "0", "--warnings", "off", "-p", "-e", "--jsonfile", json, $"127.0.0.1:{server.Port}"],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) }, TestContext.Current.CancellationToken);
        File.Exists(json).Should().BeTrue($"testssl wrote no JSON: {run}");
        TestContext.Current.AddAttachment($"testssl {name}", File.ReadAllText(json));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var entries = doc.RootElement.EnumerateArray().Select(e => (Id: e.GetProperty("id").GetString()!, Finding: e.GetProperty("finding").GetString()!)).ToList();

        var theirs = entries.Where(e => TestSslProtocolIds.ContainsKey(e.Id))
            .ToDictionary(e => TestSslProtocolIds[e.Id], e => e.Finding.StartsWith("offered", StringComparison.Ordinal));
        theirs.Should().BeEquivalentTo(ours, "both tools must see the same protocol versions");

        var theirSuites = entries.Where(e => e.Id.StartsWith("cipher_x", StringComparison.Ordinal))
            .Select(e => ushort.Parse(e.Id["cipher_x".Length..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToHashSet();
        theirSuites.Should().BeEquivalentTo(ourSuites, $"both tools must see the same cipher suites (ours: {string.Join(", ", ourSuites.Select(s => $"0x{s:x4}"))})");
    }
}
