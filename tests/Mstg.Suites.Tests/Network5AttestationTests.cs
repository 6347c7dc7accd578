using System.Text.Json;

namespace Mstg.Suites.Tests;

/// <summary>
/// MSTG-NETWORK-5 through the suite as a process, with an attestation (docs/attestations.md): a valid one passes and
/// names the reviewer, an expired one skips, a malformed one is broken. The run without any attestation is checked by
/// <see cref="KnownAnswerTests"/> (both apps skipped).
/// </summary>
public sealed class Network5AttestationTests
{
    private const string Network5 = "Requirement=MSTG-NETWORK-5";
    private const string Method = "MSTG-NETWORK-5/Channel";
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public void Valid_attestation_passes_naming_the_reviewer_and_an_expired_one_skips()
    {
        // One file for both reference apps: SecureBank reviewed last month, InsecureBank two years ago with no expiry
        // (so it held for one year only).
        var file = Path.Combine(Directory.CreateTempSubdirectory("mstg-attestation-").FullName, "network5.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new object[]
        {
            new { app = "com.example.securebank", reviewer = "Grace Reviewer, AppSec", date = Day(-30),
                  flows = new[] { "password reset: e-mail link plus in-app confirmation on a bound device", "login: no SMS codes" } },
            new { app = "com.example.insecurebank", reviewer = "Old Reviewer", date = Day(-730), flows = new[] { "SMS account recovery" } },
        }));
        var run = SuiteRun.Start("reference:InsecureBank;reference:SecureBank", "L2",
            new Dictionary<string, string> { ["MSTG_NETWORK5_ATTESTATION"] = file }, [Network5]);

        run.Tests.Should().HaveCount(2, run.Output);
        // The start-of-run line shows the selection given to the suite executable.
        run.Output.Should().Contain($"filter -trait {Network5}");
        var secure = run.Single(KnownAnswerTests.SecureBankId, Method);
        secure.Result.Should().Be("Pass", secure.Message);
        secure.Output.Should().Contain("Grace Reviewer, AppSec").And.Contain(Day(-30)).And.Contain("flow reviewed: login: no SMS codes");

        var insecure = run.Single(KnownAnswerTests.InsecureBankId, Method);
        insecure.Result.Should().Be("Skip", insecure.Message);
        insecure.Message.Should().Contain("expired on").And.Contain("Old Reviewer").And.Contain("MFMessageComposeViewController");
    }

    [Fact]
    public void Inline_attestation_for_another_app_skips_and_a_malformed_one_is_broken_not_passed()
    {
        var other = SuiteRun.Start("reference:SecureBank", "L2", new Dictionary<string, string>
        {
            ["MSTG_NETWORK5_ATTESTATION"] = $$"""{ "app": "com.example.other", "reviewer": "R", "date": "{{Day(-1)}}", "flows": ["login"] }""",
        }, [Network5]);
        var skipped = other.Single(KnownAnswerTests.SecureBankId, Method);
        skipped.Result.Should().Be("Skip", skipped.Message);
        skipped.Message.Should().Contain("No attestation for com.example.securebank").And.Contain("covers com.example.other only");

        // A misspelt field: refused, the test is broken (an error, not an assertion), and the suite exits non-zero.
        var broken = SuiteRun.Start("reference:SecureBank", "L2", new Dictionary<string, string>
        {
            ["MSTG_NETWORK5_ATTESTATION"] = $$"""{ "app": "com.example.securebank", "reviewer": "R", "date": "{{Day(-1)}}", "flow": ["login"] }""",
        }, [Network5]);
        var test = broken.Single(KnownAnswerTests.SecureBankId, Method);
        test.Result.Should().Be("Fail", test.Message);
        test.Message.Should().Contain("[environment]").And.Contain("MSTG_NETWORK5_ATTESTATION is malformed").And.Contain("flow").And.Contain("unknown field");
        broken.ExitCode.Should().NotBe(0);
        var allure = Directory.GetFiles(broken.AllureResults, "*-result.json").Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).Single();
        allure.GetProperty("status").GetString().Should().Be("broken");
    }

    private static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd");
}
