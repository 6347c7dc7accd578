using System.Text.Json;
using Json.Schema;
using Mstg.Fixtures;
using Mstg.ServerTls.Cli;
using Mstg.Fixtures.Tls;
using Spec = Mstg.Fixtures.Tls.TestPki.LeafSpec;

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
        text.Should().StartWith($"mstg tls localhost:{good.Port}").And.Contain("Servers:").And.Contain("default ATS connects")
            .And.Contain("PASS  Default ATS Secure Connection").And.Contain("PASS: 0 failed");

        var (failExit, json, _) = await RunAsync(new TlsCommandOptions { Targets = [$"localhost:{good.Port}", $"localhost:{expired.Port}"], Trust = Pki.TrustFile, Format = "json" });
        failExit.Should().Be(ExitCodes.RuleFailed);
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.GetProperty("endpoints").EnumerateArray().Select(e => e.GetProperty("port").GetInt32()).Should().Equal(good.Port, expired.Port);
        doc.RootElement.GetProperty("servers").GetArrayLength().Should().Be(2, "the per-endpoint detail section");
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
        findings.Should().OnlyContain(f => f.GetProperty("kind").GetString() == "server" && f.GetProperty("subject").GetProperty("port").GetInt32() == expired.Port,
            "the good server has no finding");
        findings.Select(f => f.GetProperty("ruleId").GetString()).Should().BeEquivalentTo([RuleCatalog.ServerCertExpired, RuleCatalog.ServerAtsFail]);
        doc.RootElement.GetProperty("summary").GetProperty("verdict").GetString().Should().Be("fail");
    }

    // Built once: the library registers a schema under its $id and refuses to register it again.
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(
        File.ReadAllText(Path.Combine(RepositoryLayout.Docs, "scan-json.schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    [Fact]
    public async Task Json_of_a_good_a_failing_and_an_unreachable_endpoint_matches_the_published_scan_schema()
    {
        await using var good = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), false, [.. ServerConfigurationTests.Tls12And13, "-cipher", ServerConfigurationTests.Modern]);
        await using var legacy = await LocalTlsServer.OpenSslAsync(Pki, new Spec(), true, ["-tls1", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"]);
        var refused = LocalTlsServer.FreePort();
        var (exit, json, _) = await RunAsync(new TlsCommandOptions
        {
            Targets = [good.Target(), legacy.Target(), $"127.0.0.1:{refused}"], Sni = null, Trust = Pki.TrustFile, Format = "json",
        });
        exit.Should().Be(ExitCodes.RuleFailed);
        using var doc = JsonDocument.Parse(json);
        var results = Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        results.IsValid.Should().BeTrue(string.Join("\n", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))));
        // Proven both ways: the same document without its endpoints (a server run's subject) is not a valid report.
        var broken = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        broken.Remove("endpoints");
        Schema.Value.Evaluate(JsonDocument.Parse(broken.ToJsonString()).RootElement).IsValid.Should().BeFalse();

        doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString())
            .Should().Contain([RuleCatalog.ServerTlsLegacyVersion, RuleCatalog.ServerProbeFailed]);
        doc.RootElement.GetProperty("problems").EnumerateArray().Should().ContainSingle()
            .Which.GetProperty("source").GetString().Should().Be($"127.0.0.1:{refused}");
        doc.RootElement.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("endpoint").GetString())
            .Should().Equal(good.Target(), legacy.Target(), $"127.0.0.1:{refused}");
    }

    [Fact]
    public async Task Sarif_names_the_endpoint_and_the_rule()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(Pki, new Spec { Name = "other.mstg.test" }, false, [.. ServerConfigurationTests.Tls12And13, "-cipher", ServerConfigurationTests.Modern]);
        var (exit, sarif, _) = await RunAsync(new TlsCommandOptions { Targets = [$"localhost:{server.Port}"], Trust = Pki.TrustFile, Format = "sarif" });
        exit.Should().Be(ExitCodes.RuleFailed);
        using var doc = JsonDocument.Parse(sarif);
        var results = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("ruleId").GetString()).Should().BeEquivalentTo([RuleCatalog.ServerCertHostname, RuleCatalog.ServerAtsFail]);
        foreach (var result in results)
        {
            var location = result.GetProperty("locations")[0];
            location.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString().Should().Be($"https://localhost:{server.Port}");
            location.GetProperty("logicalLocations")[0].GetProperty("fullyQualifiedName").GetString().Should().Be($"localhost:{server.Port}");
        }
        var rules = doc.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .Select(r => r.GetProperty("id").GetString()).ToList();
        rules.Should().BeEquivalentTo(RuleCatalog.OfKind(CheckKind.Server).Select(r => r.Id), "SARIF lists the server rules, and only those");
    }

    [Fact]
    public async Task Unreachable_endpoint_is_skipped_and_fails_only_with_strict()
    {
        var port = LocalTlsServer.FreePort();
        var (exit, text, _) = await RunAsync(new TlsCommandOptions { Targets = [$"127.0.0.1:{port}"] });
        exit.Should().Be(ExitCodes.Ok, "nothing failed; what could not be probed is skipped, not passed");
        text.Should().Contain($"SKIP {RuleCatalog.ServerProbeFailed}").And.Contain("Not checked:").And.Contain("refused").And.Contain("INCOMPLETE: 0 failed");
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
        text.Should().Contain(RuleCatalog.ServerCertHostname).And.Contain("does not name not a host");
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
