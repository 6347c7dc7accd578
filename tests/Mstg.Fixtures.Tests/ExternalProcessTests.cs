using System.Globalization;
using System.Text.RegularExpressions;
using Mstg.Fixtures.Processes;

namespace Mstg.Fixtures.Tests;

/// <summary>The runner against real processes: exit codes survive pipelines, failures explain themselves, hangs end.</summary>
public sealed class ExternalProcessTests
{
    [Fact]
    public void A_failing_command_early_in_a_shell_pipeline_fails_the_run()
    {
        // Under plain `bash -c` this pipeline's status is cat's 0: the failure that hid zip's exit 16 (issue 7).
        var run = ExternalProcess.Shell("printf 'partial' ; exit 16 | cat");
        run.ExitCode.Should().Be(16, run.ToString());
        ExternalProcess.Shell("(echo data; exit 7) | cat > /dev/null").ExitCode.Should().Be(7);
    }

    [Fact]
    public void A_successful_pipeline_succeeds_and_its_output_is_captured()
    {
        var run = ExternalProcess.Shell("printf 'b\\na\\n' | sort").EnsureSuccess();
        run.StandardOutput.Should().Be("a\nb\n");
    }

    [Fact]
    public void EnsureSuccess_names_the_command_line_the_exit_code_and_the_standard_error()
    {
        var run = ExternalProcess.Run("ls", ["--no-such-option", "a b"]);
        var failure = run.Invoking(r => r.EnsureSuccess()).Should().Throw<ExternalProcessException>().Which;
        failure.Failure.Should().Be(ProcessFailure.ExitCode);
        failure.Message.Should().Contain("`ls --no-such-option 'a b'`").And.Contain($"exit code {run.ExitCode}")
            .And.Contain("no-such-option", "ls's own complaint on stderr is part of the message");
        run.ExitCode.Should().NotBe(0);
    }

    [Fact]
    public void A_process_past_its_timeout_is_killed_with_its_children_and_the_run_fails()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"mstg-runner-{Guid.NewGuid():N}.pid");
        try
        {
            var act = () => ExternalProcess.Shell($"sleep 300 & echo $! > {pidFile}; wait", new() { Timeout = TimeSpan.FromSeconds(2) });
            var failure = act.Should().Throw<ExternalProcessException>().Which;
            failure.Failure.Should().Be(ProcessFailure.TimedOut);
            failure.Message.Should().Contain("did not finish in 2 s");

            var child = int.Parse(File.ReadAllText(pidFile).Trim());
            // Killing is asynchronous in the kernel: wait (bounded) for the grandchild to be gone rather than assert a time.
            for (var i = 0; i < 100 && Alive(child); i++) Thread.Sleep(50);
            Alive(child).Should().BeFalse("the timeout kills the whole process tree, not just bash");
        }
        finally
        {
            File.Delete(pidFile);
        }

        static bool Alive(int pid) =>
            File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);
    }

    [Fact]
    public void Input_the_tool_never_reads_cannot_block_past_the_timeout()
    {
        // 1 MiB is far more than a pipe buffers: without the deadline on the write this would wait for ever.
        var act = () => ExternalProcess.Run("sleep", ["300"], new() { StandardInput = new string('x', 1 << 20), Timeout = TimeSpan.FromSeconds(2) });
        act.Should().Throw<ExternalProcessException>().Which.Failure.Should().Be(ProcessFailure.TimedOut);
    }

    [Fact]
    public void A_tool_that_is_not_installed_fails_clearly()
    {
        var act = () => ExternalProcess.Run("mstg-no-such-tool", ["x"]);
        var failure = act.Should().Throw<ExternalProcessException>().Which;
        failure.Failure.Should().Be(ProcessFailure.NotStarted);
        failure.Message.Should().Contain("mstg-no-such-tool").And.Contain("installed");
    }

    [Fact]
    public void Standard_input_is_given_and_closed_and_the_environment_can_drop_variables()
    {
        ExternalProcess.Run("cat", [], new() { StandardInput = "to cat\n" }).EnsureSuccess().StandardOutput.Should().Be("to cat\n");
        ExternalProcess.Run("cat", []).EnsureSuccess().StandardOutput.Should().BeEmpty("no input means end of input, never a wait");

        var env = ExternalProcess.Run("env", [], new()
        {
            Environment = new Dictionary<string, string?> { ["MSTG_RUNNER_SET"] = "yes", ["PATH"] = null },
        }).EnsureSuccess().StandardOutput.Split('\n');
        env.Should().Contain("MSTG_RUNNER_SET=yes");
        env.Count(l => l.StartsWith("PATH=", StringComparison.Ordinal)).Should().Be(0, "a null value removes the inherited variable");
    }

    [Fact]
    public void A_background_process_is_killed_when_disposed()
    {
        int pid;
        using (var server = ExternalProcess.Start("sleep", ["300"]))
        {
            server.HasExited.Should().BeFalse();
            pid = server.Id;
        }
        Directory.Exists($"/proc/{pid}").Should().BeFalse("Dispose kills the tree and waits for it");
    }

    [Fact]
    public async Task A_background_process_can_be_awaited_for_a_line_signalled_by_id_and_its_result_read()
    {
        // cat echoes its input and, stdin being left open, then waits: a stand-in for a server that says where it listens.
        using var server = ExternalProcess.Start("cat", [], new() { StandardInput = "listening on 127.0.0.1:4433\n" });
        var line = await server.WaitForLineAsync(new Regex(@"listening on (\S+)"), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        line.Groups[1].Value.Should().Be("127.0.0.1:4433");
        server.HasExited.Should().BeFalse("standard input stays open, so cat keeps running until it is signalled");

        ExternalProcess.Run("kill", ["-s", "TERM", server.Id.ToString(CultureInfo.InvariantCulture)]).EnsureSuccess();
        var result = await server.WaitForExitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        result.ExitCode.Should().Be(143, "a process ended by SIGTERM reports 128 + 15, as a shell would; " + result);
        result.StandardOutput.Should().Be("listening on 127.0.0.1:4433\n");
        (await server.WaitForLineAsync(new Regex("listening"), TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken)).Success
            .Should().BeTrue("a line written before the wait began is found too");
    }

    [Fact]
    public async Task Waiting_for_a_line_the_process_never_writes_fails_with_its_output()
    {
        using var ended = ExternalProcess.Start("echo", ["something else"]);
        var early = () => ended.WaitForLineAsync(new Regex("listening on"), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var failure = (await early.Should().ThrowAsync<ExternalProcessException>()).Which;
        failure.Failure.Should().Be(ProcessFailure.EndedEarly);
        failure.Message.Should().Contain("/listening on/").And.Contain("something else").And.Contain("`echo 'something else'`");

        using var silent = ExternalProcess.Start("sleep", ["300"]);
        var late = () => silent.WaitForLineAsync(new Regex("listening on"), TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        (await late.Should().ThrowAsync<ExternalProcessException>()).Which.Failure.Should().Be(ProcessFailure.TimedOut);
        silent.HasExited.Should().BeFalse("a wait for a line does not end the process; disposing does");
    }

    [Fact]
    public async Task A_background_process_that_does_not_exit_in_time_is_killed_and_the_wait_fails()
    {
        using var stuck = ExternalProcess.Start("sleep", ["300"]);
        var pid = stuck.Id;
        var wait = () => stuck.WaitForExitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var failure = (await wait.Should().ThrowAsync<ExternalProcessException>()).Which;
        failure.Failure.Should().Be(ProcessFailure.TimedOut);
        failure.Message.Should().Contain("`sleep 300`").And.Contain("killed");
        // Killing is asynchronous in the kernel: wait (bounded) rather than assert a time.
        for (var i = 0; i < 100 && !stuck.HasExited; i++) await Task.Delay(50, TestContext.Current.CancellationToken);
        stuck.HasExited.Should().BeTrue($"the timeout kills process {pid}");
    }
}
