using Mstg.Fixtures.Processes;
using System.Text.RegularExpressions;

namespace Mstg.Suites.Tests;

/// <summary>
/// Issue 10 as a user meets it: real <c>dotnet test</c> on the built suite. The start-of-run line shows the app, the
/// profile and the filter with where each setting came from (dotnet test -e or the shell over a runsettings file's
/// MSTG_DEFAULT_* over the defaults), the Requirement trait filters, and a run with no app fails with one line.
/// </summary>
public sealed class DotnetTestRunTests
{
    private static (int ExitCode, string Output) DotnetTest(string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var work = Directory.CreateTempSubdirectory("mstg-dotnet-test-").FullName;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        // Only what the test gives: the outer run's runsettings (ci.runsettings) passes MSTG_DEFAULT_* on to us.
        var env = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSTG_", StringComparison.Ordinal))
            .ToDictionary(k => k, _ => (string?)null);
        env["MSTG_ALLURE_RESULTS"] = Path.Combine(work, "allure-results");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) env[name] = value;
        // The exit code is what these tests check (0, or 1 for a run that must fail), so it is returned, not asserted.
        var run = ExternalProcess.Run("dotnet",
            new[] { "test", "suites/Mstg.Suites", "--no-build", "-c", configuration, "--results-directory", work }.Concat(arguments),
            new ProcessOptions { WorkingDirectory = Mstg.Fixtures.RepositoryLayout.Root, Timeout = TimeSpan.FromMinutes(5), Environment = env });
        return (run.ExitCode, $"{run.StandardOutput}\n{run.StandardError}");
    }

    private static string Runsettings(string profile)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("mstg-runsettings-").FullName, "app.runsettings");
        File.WriteAllText(path, $"""
            <RunSettings><RunConfiguration><EnvironmentVariables>
              <MSTG_DEFAULT_APP>reference:SecureBank</MSTG_DEFAULT_APP>
              <MSTG_DEFAULT_PROFILE>{profile}</MSTG_DEFAULT_PROFILE>
            </EnvironmentVariables></RunConfiguration></RunSettings>
            """);
        return path;
    }

    private static string StartLine(string output) =>
        output.Split('\n').FirstOrDefault(l => l.Contains("MSTG run: ", StringComparison.Ordinal)) ?? throw new InvalidOperationException($"No start line:\n{output}");

    private static int Total(string output) =>
        int.Parse(Regex.Match(output, @"Total:\s+(\d+)").Groups[1].Value);

    [Fact]
    public void Command_line_beats_the_shell_which_beats_the_runsettings_file_and_the_start_line_says_so()
    {
        var settings = Runsettings("L1");
        const string filter = "Requirement=MSTG-NETWORK-4&Kind=static";

        // The runsettings file alone: its defaults apply, and the line names them.
        var (code, output) = DotnetTest(["--settings", settings, "--filter", filter]);
        code.Should().Be(0, output);
        StartLine(output).Should().Contain("app com.example.securebank 1.0 (1), SecureBank.ipa")
            .And.Contain("(from runsettings MSTG_DEFAULT_APP); profile L1 (from runsettings MSTG_DEFAULT_PROFILE)")
            .And.Contain($"filter {filter}");
        // The Requirement and Kind traits select the two static MSTG-NETWORK-4 tests of the one app (the server row is Kind=server).
        Total(output).Should().Be(2, output);

        // The shell's MSTG_PROFILE wins over the file (before, the file silently won).
        (code, output) = DotnetTest(["--settings", settings, "--filter", filter], new Dictionary<string, string> { ["MSTG_PROFILE"] = "L2" });
        code.Should().Be(0, output);
        StartLine(output).Should().Contain("profile L2 (from environment MSTG_PROFILE), requirements of level L1 and L2");

        // dotnet test -e wins over the shell.
        (code, output) = DotnetTest(["--settings", settings, "--filter", filter, "-e", "MSTG_PROFILE=L2"], new Dictionary<string, string> { ["MSTG_PROFILE"] = "L1" });
        code.Should().Be(0, output);
        StartLine(output).Should().Contain("profile L2 (from environment MSTG_PROFILE)");
    }

    [Fact]
    public void Dotnet_test_with_no_app_exits_1_with_one_clear_line_and_passes_only_when_allowed()
    {
        var (code, output) = DotnetTest([]);
        code.Should().Be(1, output);
        // dotnet test prints a failing test's message at its default verbosity: the one line says what to set.
        output.Should().Contain("[environment] Nothing to test: no app configured. Set MSTG_APP (dotnet test -e, the shell or CI) or MSTG_DEFAULT_APP in a runsettings file");
        Regex.Matches(output, "Error Message:").Should().HaveCount(1, output);
        StartLine(output).Should().Contain("MSTG run: app none (from default); profile L1 (from default)");

        (code, output) = DotnetTest(["-e", "MSTG_ALLOW_NO_APP=1"]);
        code.Should().Be(0, output);
        output.Should().Contain("MSTG outcome: nothing-tested");
    }
}
