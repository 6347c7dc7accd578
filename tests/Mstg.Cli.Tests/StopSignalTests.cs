using System.Diagnostics;
using System.Globalization;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Processes;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Cli.Tests;

/// <summary>The IPA the signal tests scan: a real executable with a 66 MiB <c>__cstring</c>, long enough to stop mid-scan.</summary>
public sealed class SlowScanInput
{
    public string Ipa { get; } = new IpaBuilder().AddApp("Large", executable: File.ReadAllBytes(ManyStringsBinaries.AfterLargeSection)).WriteIpa();
}

/// <summary>
/// <c>mstg scan</c> as a real process, stopped by a real signal sent with <c>kill</c> while it reads a large IPA: it must
/// end promptly with 130 (SIGINT) or 143 (SIGTERM), say so on standard error and write no report.
/// </summary>
public class StopSignalTests(SlowScanInput input) : IClassFixture<SlowScanInput>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task Scan_stopped_by_a_signal_exits_with_128_plus_the_signal_and_writes_no_report(string signal, int expected)
    {
        var report = Path.Combine(Directory.CreateTempSubdirectory("mstg-signal-").FullName, "report.json");
        using var mstg = ExternalProcess.Start("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "mstg.dll"), "scan", input.Ipa, "--format", "json", "--output", report]);

        // The handlers are registered before the command runs, so once the IPA is open the scan is under way.
        WaitUntilOpen(mstg, input.Ipa);
        Kill(signal, mstg.Id);

        // Bounded: a scan that ignores the signal has its tree killed and the test fails saying so.
        var stopped = await mstg.WaitForExitAsync(Bound, TestContext.Current.CancellationToken);
        stopped.ExitCode.Should().Be(expected, stopped.Describe());
        stopped.StandardError.Should().Contain($"mstg: stopped by SIG{signal}; no report was written");
        stopped.StandardOutput.Should().BeEmpty();
        File.Exists(report).Should().BeFalse("a stopped scan must not leave a report that looks complete");
    }

    [Fact]
    public async Task Cancelled_scan_in_process_exits_130_without_output()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Program.RunAsync(["scan", input.Ipa], stdout, stderr, cancel.Token);
        exit.Should().Be(ExitCodes.Interrupted);
        stdout.ToString().Should().BeEmpty();
        stderr.ToString().Should().Be($"mstg: stopped by cancellation; no report was written{Environment.NewLine}");
    }

    private static void WaitUntilOpen(BackgroundProcess process, string file)
    {
        var fds = $"/proc/{process.Id}/fd";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Bound)
        {
            process.HasExited.Should().BeFalse($"mstg ended before the IPA was seen open; the input is too small to stop mid-scan\n{process.Describe()}");
            try
            {
                if (Directory.EnumerateFileSystemEntries(fds).Any(fd => new FileInfo(fd).LinkTarget == file)) return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* an fd closed while listing */ }
            Thread.Sleep(10);
        }
        throw new TimeoutException($"mstg did not open {file} within {Bound}");
    }

    private static void Kill(string signal, int pid) =>
        ExternalProcess.Run("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]).EnsureSuccess();
}
