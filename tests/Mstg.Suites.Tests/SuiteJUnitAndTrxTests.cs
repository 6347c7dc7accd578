using System.Xml.Linq;

namespace Mstg.Suites.Tests;

/// <summary>CI systems that read JUnit or TRX get the same verdicts as Allure: same tests, same failures.</summary>
public sealed class SuiteJUnitAndTrxTests(KnownAnswerTests.BothApps apps) : IClassFixture<KnownAnswerTests.BothApps>
{
    private readonly SuiteRun _run = apps.L2;

    [Fact]
    public void JUnit_file_lists_every_test_and_the_failures()
    {
        var doc = XDocument.Load(_run.JUnitFile);
        var cases = doc.Descendants("testcase").ToList();
        cases.Should().HaveCount(_run.Tests.Count);
        var failed = cases.Where(c => c.Element("failure") is not null).ToList();
        failed.Should().HaveCount(_run.Tests.Count(t => t.Result == "Fail"));
        failed.Should().OnlyContain(c => ((string?)c.Attribute("name") ?? "").Contains(KnownAnswerTests.InsecureBankId));
        failed.Select(c => (string?)c.Element("failure")!.Attribute("message") ?? c.Element("failure")!.Value)
            .Should().Contain(m => m.Contains("BIN-TRUST-BYPASS"));
    }

    [Fact]
    public void Trx_file_has_the_same_outcomes()
    {
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var results = XDocument.Load(_run.TrxFile).Descendants(ns + "UnitTestResult").ToList();
        results.Should().HaveCount(_run.Tests.Count);
        results.Count(r => (string?)r.Attribute("outcome") == "Failed").Should().Be(_run.Tests.Count(t => t.Result == "Fail"));
    }
}
