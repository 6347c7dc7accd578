namespace Mstg.Suites.Tests;

/// <summary>
/// The proof that the static suite's verdicts are right: run it against both reference targets and compare every
/// test with the answer known from how the apps were built (see fixtures/Mstg.Fixtures/ReferenceApps).
/// </summary>
public sealed class KnownAnswerTests : IClassFixture<KnownAnswerTests.BothApps>
{
    public sealed class BothApps
    {
        public SuiteRun L2 { get; } = SuiteRun.Start("reference:InsecureBank;reference:SecureBank", "L2");
    }

    private readonly SuiteRun _run;
    public KnownAnswerTests(BothApps apps) => _run = apps.L2;

    // Test method → (InsecureBank result, rule ids its failure message must name).
    public static TheoryData<string, string, string[]> InsecureBankAnswers => new()
    {
        { "Ats_does_not_allow_cleartext", "Fail", ["ATS-ARBITRARY-LOADS", "ATS-DOMAIN-INSECURE-HTTP", "legacy.insecurebank.example", "cdn.insecurebank.example", "ATS-ARBITRARY-LOADS-WEB-CONTENT"] },
        { "Binaries_do_not_use_cleartext", "Pass", [] },
        { "Ats_tls_exceptions_are_strong", "Fail", ["ATS-DOMAIN-WEAK-TLS", "ATS-DOMAIN-NO-FORWARD-SECRECY"] },
        { "Code_keeps_tls_best_practice", "Fail", ["BIN-WEAK-TLS-MINIMUM"] },
        { "Ats_is_in_effect", "Pass", [] },
        { "Server_trust_is_evaluated", "Fail", ["BIN-TRUST-BYPASS", "Share.appex"] },
        { "Identity_is_pinned", "Fail", ["PIN-NONE", "PIN-DOMAIN-NOT-PINNED", "api.insecurebank.example", "share.insecurebank.example"] },
        { "Bundled_certificates_are_safe", "Pass", [] },
        { "Sms_and_email_channels_are_listed", "Pass", [] },
        { "Networking_libraries_are_current", "Fail", ["LIB-VULNERABLE", "CVE-2015-3996"] },
    };

    [Theory]
    [MemberData(nameof(InsecureBankAnswers))]
    public void InsecureBank_gets_the_known_verdict(string method, string expected, string[] mustName)
    {
        var test = _run.Single("InsecureBank", method);
        test.Result.Should().Be(expected, test.Message);
        foreach (var text in mustName) test.Message.Should().Contain(text);
    }

    [Theory]
    [MemberData(nameof(InsecureBankAnswers))]
    public void SecureBank_passes_every_requirement(string method, string _, string[] __)
    {
        var test = _run.Single("SecureBank", method);
        test.Result.Should().Be("Pass", test.Message);
    }

    [Fact]
    public void Suite_exit_code_reports_the_failures() => _run.ExitCode.Should().NotBe(0);

    [Fact]
    public void Every_static_rule_is_covered_by_a_suite_test()
    {
        // Each (requirement, family) pair of the catalogue must have one suite test; otherwise a rule's verdict
        // would never reach a report.
        var pairs = RuleCatalog.Rules.Select(r => (r.MstgId, r.Family)).Distinct().Count();
        _run.Tests.Where(t => t.App.Contains("SecureBank", StringComparison.Ordinal) && !t.App.Contains("Insecure", StringComparison.Ordinal))
            .Should().HaveCount(pairs);
    }
}
