using System.Xml.Linq;
using Mstg.Fixtures.Processes;

namespace Mstg.Suites.Tests;

/// <summary>
/// `dotnet test --logger junit`, as the README tells CI users to run it: the JunitXml.TestLogger package must load
/// (it did not build before: CS1705, see tests/Directory.Build.props) and report the same verdicts as the suite.
/// Runs the real `dotnet test` on the already built suite project.
/// </summary>
public sealed class DotnetTestJUnitLoggerTests
{
    [Fact]
    public void Junit_logger_of_dotnet_test_reports_every_test_and_the_failures()
    {
        var work = Directory.CreateTempSubdirectory("mstg-junit-").FullName;
        var junit = Path.Combine(work, "junit.xml");
        var trx = Path.Combine(work, "results.trx");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var run = ExternalProcess.Run("dotnet", ["test", "suites/Mstg.Suites", "--no-build", "-c", configuration,
                "--logger", $"junit;LogFilePath={junit}", "--logger", $"trx;LogFileName={trx}", "--results-directory", work],
            new ProcessOptions
            {
                WorkingDirectory = Mstg.Fixtures.RepositoryLayout.Root,
                Timeout = TimeSpan.FromMinutes(5),
                Environment = new Dictionary<string, string?>
                {
                    ["MSTG_APP"] = "reference:InsecureBank;reference:SecureBank",
                    ["MSTG_PROFILE"] = "L2",
                    ["MSTG_ALLURE_RESULTS"] = Path.Combine(work, "allure-results"),
                },
            });
        var output = $"{run.StandardOutput}\n{run.StandardError}";

        // InsecureBank fails by design, so dotnet test exits 1; anything else (a build or logger error) is a defect.
        run.ExitCode.Should().Be(1, output);
        File.Exists(junit).Should().BeTrue(output);
        var cases = XDocument.Load(junit).Descendants("testcase").ToList();
        var summary = output.Split('\n').Single(l => l.Contains("Total:", StringComparison.Ordinal));
        cases.Should().HaveCount(int.Parse(summary.Split("Total:")[1].Split(',')[0].Trim()), summary);
        var failed = cases.Where(c => c.Element("failure") is not null).ToList();
        failed.Should().NotBeEmpty().And.OnlyContain(c => ((string?)c.Attribute("name") ?? "").Contains(KnownAnswerTests.InsecureBankId));
        failed.Select(c => (string?)c.Element("failure")!.Attribute("message") + c.Element("failure")!.Value).Should().Contain(m => m.Contains("BIN-TRUST-BYPASS"));
        // Names are readable: no escaped quotes, and suites are named after the test classes, not hashes.
        cases.Select(c => (string?)c.Attribute("name") ?? "").Should().OnlyContain(n => !n.Contains("\\\""));
        cases.Select(c => (string?)c.Attribute("classname") ?? "").Should().OnlyContain(n => n.StartsWith("Mstg.Suites.", StringComparison.Ordinal));

        // The app's identity beyond its bundle id (issue 10): version, build and the file's sha256.
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            File.ReadAllBytes(Mstg.Fixtures.ReferenceApps.ReferenceAppCatalog.SecureBank.BuildIpa())));
        // JUnit: each static row of an app carries it as <properties> (the xUnit traits AppBundleId, AppVersion, AppBuild, AppSha256) ...
        static string? Property(XElement testcase, string name) =>
            testcase.Element("properties")?.Elements("property").Where(p => (string?)p.Attribute("name") == name).Select(p => (string?)p.Attribute("value")).FirstOrDefault();
        var secureRows = cases.Where(c => Property(c, "Kind") == "static" && Property(c, "AppBundleId") == KnownAnswerTests.SecureBankId).ToList();
        secureRows.Should().NotBeEmpty();
        secureRows.Select(c => $"{Property(c, "AppVersion")} {Property(c, "AppBuild")} {Property(c, "AppSha256")}").Should().AllBe($"1.0 1 {sha}");
        // ... and the tests that are not one app's rows name every app, prefixed with its key.
        var config = cases.Single(c => ((string?)c.Attribute("name") ?? "").Contains("An_app_is_configured", StringComparison.Ordinal));
        config.Element("properties")!.Elements("property").Where(p => (string?)p.Attribute("name") == "AppSha256").Select(p => (string?)p.Attribute("value"))
            .Should().Contain($"{KnownAnswerTests.SecureBankId}: {sha}");

        // TRX: the SDK's TRX logger drops traits, so the identity travels in each static test's output (which the VSTest
        // adapter passes on for passed and failed tests, not for skipped ones).
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        File.Exists(trx).Should().BeTrue(output);
        var results = XDocument.Load(trx).Descendants(ns + "UnitTestResult").ToList();
        results.Should().HaveCount(cases.Count);
        var secureResults = results.Where(r => ((string?)r.Attribute("testName") ?? "").Contains($"\"{KnownAnswerTests.SecureBankId}\"", StringComparison.Ordinal)
            && !((string?)r.Attribute("testName") ?? "").Contains("endpoint", StringComparison.Ordinal)
            && (string?)r.Attribute("outcome") is "Passed" or "Failed").ToList();
        secureResults.Should().NotBeEmpty();
        secureResults.Select(r => (string?)r.Descendants(ns + "StdOut").FirstOrDefault() ?? "")
            .Should().OnlyContain(o => o.Contains($"App: {KnownAnswerTests.SecureBankId} 1.0 (1), SecureBank.ipa") && o.Contains($"App file sha256: {sha}"));
    }
}
