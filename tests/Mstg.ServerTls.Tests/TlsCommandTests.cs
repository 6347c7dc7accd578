using System.Text.Json;
using Mstg.ServerTls.Cli;
using Mstg.ServerTls.Tests.Infrastructure;
using Spec = Mstg.ServerTls.Tests.Infrastructure.TestPki.LeafSpec;

namespace Mstg.ServerTls.Tests;

/// <summary><c>mstg tls</c> through its library seam (<see cref="TlsCommand.RunAsync"/>): exit codes, formats, usage errors, against real servers.</summary>
public sealed class TlsCommandTests(PkiFixture pki) : IClassFixture<PkiFixture>
{
    private TestPki Pki => pki.Pki;

    private static async Task<(int Exit, string Out, string Err)> RunAsync(TlsCommandOptions options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await TlsCommand.RunAsync(options, stdout, stderr, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Good_server_exits_0_and_a_failing_one_exits_1_with_its_findings_in_json()
    {
        await using var good = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, [.. ServerConfigurationTests.Tls12And13, "-cipher", ServerConfigurationTests.Modern]);
        await using var expired = await LocalTlsServer.OpenSslAsync(Pki, new Spec { NotBefore = DateTimeOffset.UtcNow.AddDays(-60), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) }, false,
            [.. ServerConfigurationTests.Tls12And13, "-cipher", ServerConfigurationTests.Modern]);

        var (exit, text, _) = await RunAsync(new TlsCommandOptions { Targets = [$"localhost:{good.Port}"], Trust = Pki.TrustFile });
        exit.Should().Be(ExitCodes.Ok, text);
        text.Should().Contain("default ATS connects").And.Contain("PASS  Default ATS Secure Connection").And.Contain("mstg tls: passed");

        var (failExit, json, _) = await RunAsync(new TlsCommandOptions { Targets = [$"localhost:{good.Port}", $"localhost:{expired.Port}"], Trust = Pki.TrustFile, Format = "json" });
        failExit.Should().Be(ExitCodes.RuleFailed);
        using var doc = JsonDocument.Parse(json);
        var endpoints = doc.RootElement.GetProperty("endpoints").EnumerateArray().ToList();
        endpoints.Should().HaveCount(2);
        endpoints[0].GetProperty("findings").GetArrayLength().Should().Be(0);
        endpoints[1].GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString())
            .Should().BeEquivalentTo([ServerRuleIds.CertExpired, ServerRuleIds.AtsFail]);
        doc.RootElement.GetProperty("outcome").GetString().Should().Be("failed");
    }

    [Fact]
    public async Task Sarif_names_the_endpoint_and_the_rule()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec { Name = "other.mstg.test" }, false, [.. ServerConfigurationTests.Tls12And13, "-cipher", ServerConfigurationTests.Modern]);
        var (exit, sarif, _) = await RunAsync(new TlsCommandOptions { Targets = [$"localhost:{server.Port}"], Trust = Pki.TrustFile, Format = "sarif" });
        exit.Should().Be(ExitCodes.RuleFailed);
        using var doc = JsonDocument.Parse(sarif);
        var results = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("ruleId").GetString()).Should().BeEquivalentTo([ServerRuleIds.CertHostname, ServerRuleIds.AtsFail]);
        results[0].GetProperty("locations")[0].GetProperty("logicalLocations")[0].GetProperty("name").GetString().Should().Be($"localhost:{server.Port}");
    }

    [Fact]
    public async Task Unreachable_endpoint_is_skipped_and_fails_only_with_strict()
    {
        var port = LocalTlsServer.FreePort();
        var (exit, text, _) = await RunAsync(new TlsCommandOptions { Targets = [$"127.0.0.1:{port}"] });
        exit.Should().Be(ExitCodes.Ok, "nothing failed; what could not be probed is skipped, not passed");
        text.Should().Contain("SKIPPED").And.Contain("refused").And.Contain("mstg tls: incomplete");
        (await RunAsync(new TlsCommandOptions { Targets = [$"127.0.0.1:{port}"], Strict = true })).Exit.Should().Be(ExitCodes.RuleFailed);
    }

    [Fact]
    public async Task Warnings_fail_only_with_fail_on_warn()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, [.. ServerConfigurationTests.Tls12And13, "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA"]);
        var target = new TlsCommandOptions { Targets = [$"localhost:{server.Port}"], Trust = Pki.TrustFile };
        (await RunAsync(target)).Exit.Should().Be(ExitCodes.Ok);
        (await RunAsync(target with { FailOn = "warn" })).Exit.Should().Be(ExitCodes.RuleFailed);
    }

    [Fact]
    public async Task Sni_that_is_no_host_name_matches_no_certificate_instead_of_crashing()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, [.. ServerConfigurationTests.Tls12And13, "-cipher", ServerConfigurationTests.Modern]);
        var (exit, text, _) = await RunAsync(new TlsCommandOptions { Targets = [$"127.0.0.1:{server.Port}"], Sni = "not a host", Trust = Pki.TrustFile });
        exit.Should().Be(ExitCodes.RuleFailed);
        text.Should().Contain(ServerRuleIds.CertHostname).And.Contain("does not name not a host");
    }

    [Theory]
    [InlineData("no targets")]
    [InlineData("bad format")]
    [InlineData("missing trust")]
    [InlineData("bad port")]
    [InlineData("missing app")]
    public async Task Bad_input_exits_2_naming_what_is_wrong(string what)
    {
        var options = what switch
        {
            "no targets" => new TlsCommandOptions(),
            "bad format" => new TlsCommandOptions { Targets = ["localhost:1"], Format = "xml" },
            "missing trust" => new TlsCommandOptions { Targets = ["localhost:1"], Trust = "/nonexistent/ca.pem" },
            "bad port" => new TlsCommandOptions { Targets = ["localhost:99999"] },
            _ => new TlsCommandOptions { Targets = ["localhost:1"], FromApp = "/nonexistent/App.ipa" },
        };
        var (exit, output, error) = await RunAsync(options);
        exit.Should().Be(ExitCodes.Usage);
        output.Should().BeEmpty();
        error.Should().StartWith("mstg: ").And.Contain("mstg tls --help");
        error.Should().MatchRegex(what switch
        {
            "no targets" => "host", "bad format" => "xml", "missing trust" => "nonexistent/ca.pem", "bad port" => "99999", _ => "App.ipa",
        });
    }
}
