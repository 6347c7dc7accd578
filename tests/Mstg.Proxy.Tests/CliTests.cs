using Mstg.Tls;
using System.Text.RegularExpressions;
using Mstg.Proxy.Cli;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>
/// The proxy and CA commands through their options records, as <c>mstg</c> calls them (the command line itself is
/// tested in tests/Mstg.Cli.Tests, ProxyCommandLineTests).
/// </summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mstg-cli-").FullName;

    [Fact]
    public async Task Proxy_command_runs_serves_its_ca_and_ca_export_fetches_it()
    {
        using var cts = new CancellationTokenSource();
        var stdout = new SyncWriter();
        var events = Path.Combine(_dir, "e.jsonl");
        var run = ProxyCommand.RunAsync(new ProxyCommandOptions { Listen = "127.0.0.1:0", Condition = "trusted-ca", Scope = ["*.example.com"], Events = events },
            stdout, new StringWriter(), cts.Token);
        string? endpoint = null;
        for (var i = 0; i < 100 && endpoint is null; i++)
        {
            endpoint = Regex.Match(stdout.ToString(), @"listening on (127\.0\.0\.1:\d+)") is { Success: true } m ? m.Groups[1].Value : null;
            if (endpoint is null) await Task.Delay(100);
        }
        endpoint.Should().NotBeNull(stdout.ToString());

        var pem = await ExternalTool.RunAsync("curl", ["-sS", "--proxy", $"http://{endpoint}", "http://mstg.proxy/ca.pem"]);
        pem.Stdout.Should().StartWith("-----BEGIN CERTIFICATE-----");
        var exported = new StringWriter();
        (await CaCommand.ExportAsync(new CaExportOptions { Format = "pem", FromProxy = endpoint }, exported, new StringWriter(), CancellationToken.None)).Should().Be(0);
        exported.ToString().Should().Be(pem.Stdout);
        var text = await ExternalTool.RunAsync("openssl", ["x509", "-noout", "-ext", "nameConstraints"], stdin: pem.Stdout);
        text.Stdout.Should().Contain("DNS:example.com");

        cts.Cancel();
        (await run).Should().Be(0);
        File.Exists(events).Should().BeTrue();
    }

    [Fact]
    public async Task Legacy_condition_from_the_cli_reexecutes_with_the_relaxed_openssl_config()
    {
        using var cts = new CancellationTokenSource();
        var stdout = new SyncWriter();
        var run = ProxyCommand.RunAsync(new ProxyCommandOptions { Listen = "127.0.0.1:0", Condition = "tls10-only" }, stdout, new StringWriter(), cts.Token);
        string? endpoint = null;
        for (var i = 0; i < 150 && endpoint is null; i++)
        {
            endpoint = Regex.Match(stdout.ToString(), @"listening on (127\.0\.0\.1:\d+), condition tls10-only") is { Success: true } m ? m.Groups[1].Value : null;
            if (endpoint is null) await Task.Delay(100);
        }
        endpoint.Should().NotBeNull("the child proxy must start: " + stdout);
        // This process stays at Debian's defaults; only the child was relaxed, and it really speaks TLS 1.0.
        LegacyOpenSsl.IsActive.Should().BeFalse();
        var r = await ExternalTool.RunAsync("openssl", ["s_client", "-tls1", "-cipher", "DEFAULT@SECLEVEL=0", "-proxy", endpoint!,
            "-connect", "api.example.com:443", "-servername", "api.example.com"], stdin: "");
        r.Stdout.Should().Contain("Protocol  : TLSv1", r.ToString());
        cts.Cancel();
        await run;
    }

    [Fact]
    public async Task Ca_export_makes_a_device_CA_of_the_asked_lifetime_and_refuses_one_past_90_days()
    {
        var pem = Path.Combine(_dir, "device-ca.pem");
        (await CaCommand.ExportAsync(new CaExportOptions { Out = pem, Scope = ["*.example.com"], KeyOut = Path.Combine(_dir, "device-ca.key"), ValidDays = 30 },
            new StringWriter(), new StringWriter(), CancellationToken.None)).Should().Be(0);
        var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(pem));
        (ca.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays.Should().BeInRange(29.9, 30.1);

        // The default stays a day: the run's CA dies with the run.
        var day = Path.Combine(_dir, "day-ca.pem");
        (await CaCommand.ExportAsync(new CaExportOptions { Out = day, KeyOut = Path.Combine(_dir, "day-ca.key") },
            new StringWriter(), new StringWriter(), CancellationToken.None)).Should().Be(0);
        (System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(day)).NotAfter.ToUniversalTime() - DateTime.UtcNow)
            .TotalDays.Should().BeLessThan(1.01);

        foreach (var days in new[] { 0, 91 })
        {
            var err = new StringWriter();
            (await CaCommand.ExportAsync(new CaExportOptions { Out = Path.Combine(_dir, $"x{days}.pem"), KeyOut = Path.Combine(_dir, $"x{days}.key"), ValidDays = days },
                new StringWriter(), err, CancellationToken.None)).Should().Be(2);
            err.ToString().Should().Contain("--valid-days").And.Contain("between 1 and 90");
            File.Exists(Path.Combine(_dir, $"x{days}.key")).Should().BeFalse("a refused CA writes no key");
        }
    }

    [Fact]
    public async Task Ca_export_writes_formats_and_the_key_only_on_request()
    {
        var pem = Path.Combine(_dir, "ca.pem");
        var key = Path.Combine(_dir, "ca.key");
        (await CaCommand.ExportAsync(new CaExportOptions { Format = "pem", Out = pem, Scope = ["*.example.com"], KeyOut = key },
            new StringWriter(), new StringWriter(), CancellationToken.None)).Should().Be(0);
        File.GetUnixFileMode(key).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // The saved CA exports again in every format, without writing its key a second time.
        var profile = Path.Combine(_dir, "ca.mobileconfig");
        (await CaCommand.ExportAsync(new CaExportOptions { Format = "mobileconfig", Out = profile, CaCert = pem, CaKey = key },
            new StringWriter(), new StringWriter(), CancellationToken.None)).Should().Be(0);
        File.ReadAllText(profile).Should().Contain("com.apple.security.root");
        var der = Path.Combine(_dir, "ca.der");
        (await CaCommand.ExportAsync(new CaExportOptions { Format = "der", Out = der, CaCert = pem, CaKey = key },
            new StringWriter(), new StringWriter(), CancellationToken.None)).Should().Be(0);
        (await ExternalTool.RunAsync("openssl", ["x509", "-inform", "DER", "-in", der, "-noout", "-subject"])).Stdout.Should().Contain("MstgTests run CA");
        Directory.GetFiles(_dir).Should().HaveCount(4, "one key file, written only by --key-out");

        // A new CA whose key would be thrown away is refused: nothing could ever use it, and a device trusting it
        // would keep a root nobody controls.
        var refused = new StringWriter();
        var throwaway = Path.Combine(_dir, "throwaway.pem");
        (await CaCommand.ExportAsync(new CaExportOptions { Format = "pem", Out = throwaway }, new StringWriter(), refused, CancellationToken.None))
            .Should().Be(2);
        refused.ToString().Should().Contain("--key-out").And.Contain("--from-proxy");
        File.Exists(throwaway).Should().BeFalse();

        var err = new StringWriter();
        (await CaCommand.ExportAsync(new CaExportOptions { Format = "p12" }, new StringWriter(), err, CancellationToken.None)).Should().Be(2);
        err.ToString().Should().Contain("--format");
        (await CaCommand.ExportAsync(new CaExportOptions { Format = "der", CaCert = pem, CaKey = key }, new StringWriter(), new StringWriter(), CancellationToken.None))
            .Should().Be(2, "binary needs --out");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>StringWriter safe to read while the command writes from another thread.</summary>
    private sealed class SyncWriter : StringWriter
    {
        public override void Write(char value) { lock (this) base.Write(value); }
        public override void Write(string? value) { lock (this) base.Write(value); }
        public override void WriteLine(string? value) { lock (this) base.WriteLine(value); }
        public override Task WriteLineAsync(string? value) { WriteLine(value); return Task.CompletedTask; }
        public override string ToString() { lock (this) return base.ToString(); }
    }
}

public sealed class CaReuseTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_saved_ca_is_reused_in_and_out_of_process(bool outOfProcess)
    {
        var dir = Directory.CreateTempSubdirectory("mstg-reuse-").FullName;
        try
        {
            var cert = Path.Combine(dir, "ca.pem");
            var key = Path.Combine(dir, "ca.key");
            using (var ca = Mstg.Proxy.Certificates.RunCertificateAuthority.Create("reused CA", ["*.example.com"]))
            {
                File.WriteAllText(cert, ca.ExportCertificatePem());
                ca.ExportPrivateKeyPem(key);
            }
            var expected = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(cert)).Thumbprint;
            await using var host = await ProxyHost.StartAsync(new Mstg.Proxy.Pipeline.ProxyOptions
            {
                Listen = new(System.Net.IPAddress.Loopback, 0), CaCertificatePath = cert, CaKeyPath = key,
            }, legacyTls: outOfProcess);
            host.IsOutOfProcess.Should().Be(outOfProcess);
            host.CaCertificate.Thumbprint.Should().Be(expected);

            var half = () => new Mstg.Proxy.Pipeline.ProxyServer(new() { Listen = new(System.Net.IPAddress.Loopback, 0), CaCertificatePath = cert });
            half.Should().Throw<MstgInputException>().WithMessage("*both*");
        }
        finally { Directory.Delete(dir, true); }
    }
}
