using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mstg.Fixtures.Processes;
using Mstg.ReferenceTargets.Backend;
using Mstg.ReferenceTargets.Catalog;

namespace Mstg.ReferenceTargets.Tests;

/// <summary>The .NET reference client run as a real process against the real backend; each switch proven both ways.</summary>
public sealed class ReferenceClientTests(ReferenceBackendFixture fixture)
{
    private ReferenceBackend Backend => fixture.Backend;

    private ProcessResult Client(params string[] args) =>
        ExternalProcess.Run("dotnet", [ReferenceTargetCatalog.ClientAssembly,
            "--url", Backend.HttpsUrl(ReferenceHosts.Api).ToString(), "--url", Backend.HttpsUrl(ReferenceHosts.Auth).ToString(),
            .. Backend.ResolveRules.SelectMany(r => new[] { "--resolve", r }), .. args], new ProcessOptions { Timeout = TimeSpan.FromMinutes(3) });

    private static string[] Lines(ProcessResult run) => run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Direct_with_the_reference_root_every_call_succeeds()
    {
        var run = Client("--ca", Backend.RootPemPath);
        run.ExitCode.Should().Be(0, run.ToString());
        Lines(run).Should().HaveCount(4).And.OnlyContain(l => l.Contains(" ok 200"));
        Lines(run).Should().Contain(l => l.StartsWith(ReferenceHosts.Api + " POST /api/login ok")).And.Contain(l => l.StartsWith(ReferenceHosts.Auth + " GET /api/profile ok"));
    }

    [Fact]
    public void Validation_on_against_a_foreign_root_fails_and_off_succeeds()
    {
        var foreign = ForeignRoot();
        var on = Client("--ca", foreign, "--validate", "on");
        on.ExitCode.Should().Be(1, on.ToString());
        Lines(on).Should().Contain(l => l.StartsWith(ReferenceHosts.Api + " POST /api/login failed") && l.Contains("SSL", StringComparison.OrdinalIgnoreCase));

        var off = Client("--ca", foreign, "--validate", "off");
        off.ExitCode.Should().Be(0, off.ToString());
    }

    [Fact]
    public void Correct_pins_succeed_and_a_wrong_pin_fails_that_host_only()
    {
        var right = Client("--ca", Backend.RootPemPath, "--pin", $"{ReferenceHosts.Api}={Backend.SpkiPin(ReferenceHosts.Api)}", "--pin", $"{ReferenceHosts.Auth}={Backend.SpkiPin(ReferenceHosts.Auth)}");
        right.ExitCode.Should().Be(0, right.ToString());

        var wrong = Client("--ca", Backend.RootPemPath, "--pin", $"{ReferenceHosts.Api}={Backend.SpkiPin(ReferenceHosts.Cdn)}");
        wrong.ExitCode.Should().Be(1, wrong.ToString());
        Lines(wrong).Should().Contain(l => l.StartsWith(ReferenceHosts.Api + " POST /api/login failed"))
            .And.Contain(l => l.StartsWith(ReferenceHosts.Auth + " POST /api/login ok"), "auth has no pin");
    }

    [Fact]
    public void Cleartext_call_is_made_over_http_and_reported()
    {
        var url = Backend.HttpUrl(ReferenceHosts.Cdn, "/cdn/lib.js?from=client");
        var run = Client("--ca", Backend.RootPemPath, "--cleartext-call", url.ToString());
        run.ExitCode.Should().Be(0, run.ToString());
        Lines(run).Should().Contain(l => l.StartsWith(ReferenceHosts.Cdn + " GET /cdn/lib.js ok 200"));
        Backend.Requests.Should().Contain(r => r.Host == ReferenceHosts.Cdn && r.Scheme == "http");
    }

    [Theory]
    [InlineData("1.3")]
    [InlineData("1.0")] // runs itself again with the relaxed OpenSSL configuration, then negotiates 1.3 with the backend
    public void Min_tls_switch_still_reaches_a_modern_server(string min)
    {
        var run = Client("--ca", Backend.RootPemPath, "--min-tls", min);
        run.ExitCode.Should().Be(0, run.ToString());
        Lines(run).Should().HaveCount(4);
    }

    [Fact]
    public void Names_without_a_resolve_rule_are_refused_not_looked_up()
    {
        var run = ExternalProcess.Run("dotnet", [ReferenceTargetCatalog.ClientAssembly, "--url", "https://api.mstg-ref.test:1/", "--ca", Backend.RootPemPath],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(2) });
        run.ExitCode.Should().Be(1, run.ToString());
        run.StandardOutput.Should().Contain("no --resolve rule for api.mstg-ref.test:1");
    }

    [Theory]
    [InlineData("--min-tls", "1.1", "--min-tls takes 1.0, 1.2 or 1.3")]
    [InlineData("--pin", "api.mstg-ref.test=abc", "--pin takes host=base64")]
    [InlineData("--validate", "maybe", "--validate takes on or off")]
    [InlineData("--frobnicate", "x", "unknown switch '--frobnicate'")]
    public void Bad_switches_exit_2_naming_the_switch(string name, string value, string message)
    {
        var run = ExternalProcess.Run("dotnet", [ReferenceTargetCatalog.ClientAssembly, "--url", "https://api.mstg-ref.test/", name, value], new ProcessOptions { Timeout = TimeSpan.FromMinutes(2) });
        run.ExitCode.Should().Be(2);
        run.StandardError.Should().Contain(message);
    }

    private static string ForeignRoot()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Not the reference root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Directory.CreateTempSubdirectory("mstg-foreign-root-").FullName, "foreign.pem");
        File.WriteAllText(path, root.ExportCertificatePem());
        return path;
    }
}
