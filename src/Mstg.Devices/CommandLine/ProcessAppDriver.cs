using System.Diagnostics;
using System.Text;
using Mstg.Devices.Scenarios;

namespace Mstg.Devices.CommandLine;

/// <summary>What a run of the client did; <see cref="ExitCode"/> is null while it runs or when it was stopped.</summary>
public sealed record ProcessRun(int? ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {(ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// Any command-line client as the app (an SDK's sample, curl, a CLI), so the suites can test clients that are not iOS apps.
/// The command is an argument list with placeholders <c>{proxy}</c>, <c>{ca}</c> and <c>{url}</c>, started with
/// <see cref="ProcessStartInfo.ArgumentList"/>: no shell, so a placeholder's value is one argument whatever it holds.
/// <c>{ca}</c> is the run's CA once <see cref="TrustCaAsync"/> gave it, else <see cref="ProcessAppSettings.DistrustedCaFile"/>.
/// </summary>
public sealed class ProcessAppDriver : IAppDriver
{
    private const int KeptOutputChars = 64 * 1024;
    private static readonly string[] Placeholders = ["{proxy}", "{ca}", "{url}"];
    private readonly ProcessAppSettings _settings;
    private readonly ScenarioRunner _runner;
    private System.Diagnostics.Process? _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();
    private string? _trustedCa;
    private Uri _url;

    public ProcessAppDriver(ProcessAppSettings settings, ScenarioRunner? runner = null)
    {
        if (settings.Command.Count == 0) throw new ArgumentException("the command template is empty", nameof(settings));
        foreach (var arg in settings.Command)
            foreach (var token in System.Text.RegularExpressions.Regex.Matches(arg, @"\{[^{}\s]+\}").Select(m => m.Value))
                if (!Placeholders.Contains(token)) throw new ArgumentException($"unknown placeholder {token} in \"{arg}\" (known: {string.Join(", ", Placeholders)})", nameof(settings));
        _settings = settings;
        _url = settings.Url;
        _runner = runner ?? new ScenarioRunner();
    }

    public string Name => "process " + Path.GetFileName(_settings.Command[0]);

    /// <summary>The arguments the next start uses, placeholders filled in.</summary>
    public IReadOnlyList<string> Arguments => _settings.Command.Select(Expand).ToList();

    public ProcessRun LastRun
    {
        get { lock (_stdout) return new ProcessRun(_process is { HasExited: true } p ? p.ExitCode : null, _stdout.ToString(), _stderr.ToString()); }
    }

    public Task StartAsync(CancellationToken ct = default)
    {
        if (_process is { HasExited: false }) return Task.CompletedTask;
        var arguments = Arguments;
        var start = new ProcessStartInfo(arguments[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments.Skip(1)) start.ArgumentList.Add(a);
        lock (_stdout) { _stdout.Clear(); _stderr.Clear(); }
        _process?.Dispose();
        try { _process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("no process"); }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new DeviceEnvironmentException(Name, $"{arguments[0]} could not be started: {e.Message}", inner: e);
        }
        _process.OutputDataReceived += (_, e) => Keep(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        return Task.CompletedTask;
    }

    /// <summary>Waits for the client to finish on its own; a client that outlives <paramref name="timeout"/> is stopped and the step fails.</summary>
    public async Task<ProcessRun> WaitForExitAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var process = _process ?? throw new InvalidOperationException($"{Name}: not started");
        try
        {
            await process.WaitForExitAsync(ct).WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await StopAsync(ct).ConfigureAwait(false);
            throw new StepFailedException($"{Name} did not exit within {timeout.TotalSeconds:0.#} s");
        }
        process.WaitForExit(); // flushes the redirected output events
        return LastRun;
    }

    public async Task StopAsync(CancellationToken ct = default)
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
    }

    public async Task RestartAsync(CancellationToken ct = default)
    {
        await StopAsync(ct).ConfigureAwait(false);
        await StartAsync(ct).ConfigureAwait(false);
    }

    /// <summary>launch runs the client to its end (a non-zero exit fails the step); openUrl does the same with {url} set; element steps are not supported.</summary>
    public Task<ScenarioResult> RunScenarioAsync(Scenario scenario, CancellationToken ct = default) => _runner.RunAsync(scenario, new Target(this), ct);

    public Task<byte[]?> ScreenshotAsync(CancellationToken ct = default) => Task.FromResult<byte[]?>(null);
    public Task<string?> PageSourceAsync(CancellationToken ct = default) => Task.FromResult<string?>(LastRun.ToString());

    public Task<string> DeviceLogAsync(CancellationToken ct = default) => Task.FromResult(LastRun.ToString());

    public Task TrustCaAsync(string caPemPath, CancellationToken ct = default)
    {
        _trustedCa = Path.GetFullPath(caPemPath);
        return Task.CompletedTask;
    }

    public Task DistrustCaAsync(CancellationToken ct = default)
    {
        _trustedCa = null;
        return Task.CompletedTask;
    }

    private string Expand(string arg) => arg
        .Replace("{proxy}", _settings.Proxy?.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)
            ?? (arg.Contains("{proxy}", StringComparison.Ordinal) ? throw new InvalidOperationException($"{Name}: the command uses {{proxy}} but no proxy is set") : ""), StringComparison.Ordinal)
        .Replace("{ca}", _trustedCa ?? _settings.DistrustedCaFile, StringComparison.Ordinal)
        .Replace("{url}", _url.ToString(), StringComparison.Ordinal);

    private static void Keep(StringBuilder into, string? line)
    {
        if (line is null) return;
        lock (into)
        {
            if (into.Length < KeptOutputChars) into.Append(line).Append('\n');
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p) p.Kill(entireProcessTree: true);
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Target(ProcessAppDriver app) : IScenarioTarget
    {
        public async Task LaunchAsync(CancellationToken ct)
        {
            await app.RestartAsync(ct).ConfigureAwait(false);
            var run = await app.WaitForExitAsync(app._settings.RunTimeout, ct).ConfigureAwait(false);
            if (run.ExitCode != 0)
                throw new StepFailedException($"{app.Name} exited with {run.ExitCode}: {run.Stderr.Trim().Split('\n')[^1]}");
        }

        public Task TerminateAsync(CancellationToken ct) => app.StopAsync(ct);

        public Task OpenUrlAsync(Uri url, CancellationToken ct)
        {
            app._url = url;
            return LaunchAsync(ct);
        }

        public Task TapAsync(Locator target, CancellationToken ct) => throw NoElements();
        public Task TypeAsync(Locator target, string text, CancellationToken ct) => throw NoElements();
        public Task<bool> IsPresentAsync(Locator target, CancellationToken ct) => throw NoElements();
        public Task<byte[]?> ScreenshotAsync(CancellationToken ct) => app.ScreenshotAsync(ct);
        public Task<string?> PageSourceAsync(CancellationToken ct) => app.PageSourceAsync(ct);

        private NotSupportedException NoElements() => new($"{app.Name} is a command-line client: it has no elements to find");
    }
}

/// <param name="Command">The command template as an argument list, e.g. <c>curl --proxy {proxy} --cacert {ca} {url}</c>.</param>
/// <param name="Url">What {url} is until a scenario's openUrl changes it.</param>
/// <param name="DistrustedCaFile">What {ca} is while the run's CA is not trusted: a bundle without it (the system one by default).</param>
public sealed record ProcessAppSettings(IReadOnlyList<string> Command, Uri Url, Uri? Proxy)
{
    public string DistrustedCaFile { get; init; } = "/etc/ssl/certs/ca-certificates.crt";
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Splits a template written on one line (a runsettings value) into arguments: spaces separate, double quotes group; no other shell syntax.</summary>
    public static IReadOnlyList<string> SplitTemplate(string template)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        bool quoted = false, any = false;
        foreach (var c in template)
        {
            if (c == '"') { quoted = !quoted; any = true; }
            else if (char.IsWhiteSpace(c) && !quoted) { if (any) args.Add(current.ToString()); current.Clear(); any = false; }
            else { current.Append(c); any = true; }
        }
        if (quoted) throw new ArgumentException($"unclosed quote in the command template: {template}", nameof(template));
        if (any) args.Add(current.ToString());
        return args;
    }
}
