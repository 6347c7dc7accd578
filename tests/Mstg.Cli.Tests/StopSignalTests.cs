using System.Diagnostics;
using Mstg.Fixtures.Packaging;
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
    public void Scan_stopped_by_a_signal_exits_with_128_plus_the_signal_and_writes_no_report(string signal, int expected)
    {
        var report = Path.Combine(Directory.CreateTempSubdirectory("mstg-signal-").FullName, "report.json");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "mstg.dll"), "scan", input.Ipa, "--format", "json", "--output", report })
            psi.ArgumentList.Add(a);
        using var mstg = Process.Start(psi)!;
        var stderr = mstg.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = mstg.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            // The handlers are registered before the command runs, so once the IPA is open the scan is under way.
            WaitUntilOpen(mstg, input.Ipa);
            Kill(signal, mstg.Id);

            mstg.WaitForExit(Bound).Should().BeTrue($"mstg must stop within {Bound.TotalSeconds} s of SIG{signal}");
            var error = stderr.Result;
            mstg.ExitCode.Should().Be(expected, error);
            error.Should().Contain($"mstg: stopped by SIG{signal}; no report was written");
            stdout.Result.Should().BeEmpty();
            File.Exists(report).Should().BeFalse("a stopped scan must not leave a report that looks complete");
        }
        finally
        {
            if (!mstg.HasExited) mstg.Kill();
        }
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

    private static void WaitUntilOpen(Process process, string file)
    {
        var fds = $"/proc/{process.Id}/fd";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Bound)
        {
            process.HasExited.Should().BeFalse($"mstg ended (exit {(process.HasExited ? process.ExitCode : 0)}) before the IPA was seen open; the input is too small to stop mid-scan");
            try
            {
                if (Directory.EnumerateFileSystemEntries(fds).Any(fd => new FileInfo(fd).LinkTarget == file)) return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* an fd closed while listing */ }
            Thread.Sleep(10);
        }
        throw new TimeoutException($"mstg did not open {file} within {Bound}");
    }

    private static void Kill(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString() }, RedirectStandardError = true, UseShellExecute = false })!;
        var error = kill.StandardError.ReadToEnd();
        kill.WaitForExit();
        kill.ExitCode.Should().Be(0, $"kill -{signal} {pid} failed: {error}");
    }
}
