namespace Mstg.Fixtures.Tests;

/// <summary>
/// The repository runs every external tool through one runner and loses no exit status in a shell (issue 7: a
/// <c>zip … | cat</c> hid zip's exit 16 on one machine and not on another). The first test scans the repository;
/// the others prove that each rule finds what it is for and stays quiet on the safe forms, so the scan cannot pass
/// by matching nothing.
/// </summary>
public sealed class ProcessGuardTests
{
    // Assembled so that this file does not contain the patterns it tests.
    private const string Start = "Process" + ".Start";
    private const string Info = "ProcessStart" + "Info";

    [Fact]
    public void No_test_fixture_suite_or_script_starts_a_process_or_runs_a_pipeline_that_can_hide_a_failure()
    {
        var violations = ProcessGuard.ScanRepository(RepositoryLayout.Root).ToList();
        violations.Should().BeEmpty("every external process goes through Mstg.Fixtures.Processes.ExternalProcess and every shell " +
                                    "runs under set -euo pipefail; found:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_scan_reads_the_places_that_run_tools()
    {
        // If the folders moved, an empty scan would pass for the wrong reason.
        var root = RepositoryLayout.Root;
        File.Exists(Path.Combine(root, "build.sh")).Should().BeTrue();
        File.Exists(Path.Combine(root, ".ci", "run")).Should().BeTrue();
        File.Exists(Path.Combine(root, ProcessGuard.RunnerFolder, "ExternalProcess.cs")).Should().BeTrue();
        ProcessGuard.ScanCSharp("tests/X.cs", File.ReadAllLines(Path.Combine(root, ProcessGuard.RunnerFolder, "ExternalProcess.cs")))
            .Should().NotBeEmpty("the runner itself starts processes, and the scan would see it anywhere else");
    }

    [Theory]
    [InlineData("        using var p = " + Start + "(psi)!;")]
    [InlineData("        var psi = new " + Info + "(\"zip\") { RedirectStandardError = true };")]
    [InlineData("        var psi = new System.Diagnostics." + Info + "(\"node\");")]
    [InlineData("        using (var process = System.Diagnostics." + Start + "(tool, [\"-i\", input])!)")]
    [InlineData("        var result = ExternalProcess.Run(\"bash\", [\"-c\", \"zip -r - . | cat\"]);")]
    [InlineData("        await ExternalProcess.RunAsync(\"sh\", [\"-c\", script]);")]
    public void CSharp_that_runs_a_process_outside_the_runner_is_found(string line)
    {
        var found = ProcessGuard.ScanCSharp("tests/Some.Tests/Tool.cs", ["namespace X;", line]).ToList();
        found.Should().ContainSingle().Which.Should().Match<GuardViolation>(v => v.Line == 2 && v.File == "tests/Some.Tests/Tool.cs");
    }

    [Theory]
    [InlineData("        ExternalProcess.Shell(\"zip -q -r - Payload | cat > ../tool.ipa\").EnsureSuccess();")]
    [InlineData("        ExternalProcess.Run(\"zip\", [\"-v\"]).EnsureSuccess();")]
    [InlineData("        // " + Start + "(psi) used to be here")]
    [InlineData("        _origin = ExternalProcess.Start(\"ip\", args);")]
    public void CSharp_that_uses_the_runner_is_not_found(string line) =>
        ProcessGuard.ScanCSharp("tests/Some.Tests/Tool.cs", [line]).Should().BeEmpty();

    [Fact]
    public void The_runner_folder_may_start_processes() =>
        ProcessGuard.ScanCSharp(ProcessGuard.RunnerFolder + "ExternalProcess.cs", ["return " + Start + "(start);"]).Should().BeEmpty();

    [Theory]
    [InlineData("echo \"size: $(du -m \"$ipa\" | cut -f1) MB\"", "its status is lost")]
    [InlineData("  local key=$(printf '%s' \"$1\" | sha256sum)", "its status is lost")]
    [InlineData("echo \"{\\\"result\\\":$($LOAD --url x | head -1)}\" >> out", "its status is lost")]
    [InlineData("  set +o pipefail", "turns pipefail off")]
    [InlineData("peak() { /usr/bin/time -v bash -c \"$1 | wc -l\"; }", "nested shell without pipefail")]
    public void Bash_that_can_lose_a_status_is_found(string line, string rule)
    {
        var found = ProcessGuard.ScanBash("bench/x.sh", ["#!/usr/bin/env bash", "set -euo pipefail", line]).ToList();
        found.Should().ContainSingle().Which.Should().Match<GuardViolation>(v => v.Line == 3 && v.Rule.Contains(rule));
    }

    [Theory]
    [InlineData("size=$(du -m \"$ipa\" | cut -f1)")]
    [InlineData("key=$(printf '%s' \"$1\" | sha256sum | cut -c1-32); other=1")]
    [InlineData("dotnet test x.sln 2>&1 | tee \"$log_file\"")]
    [InlineData("echo \"$(awk '/a|b/ {print}' f)\"")]
    [InlineData("[ -f \"$ipa\" ] || make_it \"$ipa\"")]
    [InlineData("# echo \"$(a | b)\" in a comment")]
    [InlineData("bash -o pipefail -c \"$1 | wc -l\"")]
    public void Bash_that_keeps_every_status_is_not_found(string line) =>
        ProcessGuard.ScanBash("bench/x.sh", ["#!/usr/bin/env bash", "set -euo pipefail", line]).Should().BeEmpty();

    [Fact]
    public void A_bash_script_without_strict_mode_is_found()
    {
        ProcessGuard.ScanBash("bench/x.sh", ["#!/usr/bin/env bash", "set -e", "zip -r - . | cat > a.zip"])
            .Should().ContainSingle().Which.Line.Should().Be(1);
        ProcessGuard.ScanBash("bench/x.sh", ["#!/usr/bin/env bash", "set -eEuo pipefail"]).Should().BeEmpty();
    }
}
