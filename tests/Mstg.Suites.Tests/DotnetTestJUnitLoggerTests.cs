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
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var run = ExternalProcess.Run("dotnet", ["test", "suites/Mstg.Suites", "--no-build", "-c", configuration,
                "--logger", $"junit;LogFilePath={junit}", "--results-directory", work],
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
    }
}
