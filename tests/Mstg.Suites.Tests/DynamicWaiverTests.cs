using System.Text.Json;

namespace Mstg.Suites.Tests;

/// <summary>
/// Waivers on dynamic cases, through the suite as a process against the reference target <c>client-default</c> (the .NET
/// reference client validating without pinning: its MSTG-NETWORK-4 case <c>n4-trusted-ca</c> fails at L2 by design, see
/// tests/Mstg.KnownAnswer.Tests/known-answers/dynamic.json). A waiver for that probe and host skips the case with its
/// justification; the same waiver for another host covers nothing: the case fails and the waiver is listed as stale.
/// </summary>
public sealed class DynamicWaiverTests
{
    private const string Host = "api.mstg-ref.test";

    private static SuiteRun RunPinningCase(string waiverJson) =>
        SuiteRun.Start(null, "L2", new Dictionary<string, string>
        {
            ["MSTG_ALLOW_NO_APP"] = "1",
            ["MSTG_DYNAMIC_TARGET"] = "reference:client-default",
            ["MSTG_FIRST_PARTY_HOSTS"] = Host,
            ["MSTG_WAIVERS"] = SuiteWaiverTests.Write(waiverJson),
        }, filter: ["-method", "Mstg.Suites.Dynamic.DynamicRequirements.Network4_pinning"]);

    private static IEnumerable<string> Labels(JsonElement r, string name) => r.GetProperty("labels").EnumerateArray()
        .Where(l => l.GetProperty("name").GetString() == name).Select(l => l.GetProperty("value").GetString()!);

    [Fact]
    public void A_waiver_for_the_probe_and_host_skips_the_failing_pinning_case_with_its_justification()
    {
        var run = RunPinningCase("""
            { "waivers": [ { "test": "n4-trusted-ca", "host": "api.mstg-ref.test", "condition": "trusted-ca",
                             "justification": "Pinning ships with app 2.0 (SEC-201)", "expires": "2099-12-31", "approvedBy": "Ada Reviewer" } ] }
            """);

        var pinning = run.Tests.Should().ContainSingle(run.Output).Subject;
        pinning.Result.Should().Be("Skip", run.Output);
        pinning.Message.Should().StartWith("[waived]").And.Contain($"DYN-NOT-PINNED {Host} under condition trusted-ca")
            .And.Contain("Pinning ships with app 2.0 (SEC-201)").And.Contain("waived until 2099-12-31, accepted by Ada Reviewer");
        var allure = run.AllureResultFiles.Should().ContainSingle().Subject;
        allure.GetProperty("status").GetString().Should().Be("skipped");
        allure.GetProperty("statusDetails").GetProperty("message").GetString().Should().Contain("Pinning ships with app 2.0 (SEC-201)");
        Labels(allure, "tag").Should().Contain("waived");
        run.Output.Should().NotContain("MSTG stale waivers");
        run.ExitCode.Should().Be(0, "the only failure is waived");
    }

    [Fact]
    public void A_waiver_for_another_host_does_not_cover_the_case_and_is_listed_as_stale()
    {
        var run = RunPinningCase("""
            { "waivers": [ { "rule": "DYN-NOT-PINNED", "host": "auth.mstg-ref.test",
                             "justification": "The auth host is pinned by the OS profile", "expires": "2099-12-31" } ] }
            """);

        var pinning = run.Tests.Should().ContainSingle(run.Output).Subject;
        pinning.Result.Should().Be("Fail", run.Output);
        pinning.Message.Should().Contain("[pinning-missing] MSTG-NETWORK-4:").And.NotContain("waived");
        run.AllureResultFiles.Should().ContainSingle().Which.GetProperty("status").GetString().Should().Be("failed");
        run.Output.Should().Contain("MSTG stale waivers: 1").And.Contain("STALE (dynamic) DYN-NOT-PINNED host auth.mstg-ref.test");
        run.ExitCode.Should().NotBe(0);
    }
}
