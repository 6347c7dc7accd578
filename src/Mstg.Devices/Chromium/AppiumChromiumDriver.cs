using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mstg.Devices.Appium;
using Mstg.Devices.Scenarios;
using OpenQA.Selenium.Remote;

namespace Mstg.Devices.Chromium;

/// <summary>
/// A real Appium 3 session on Debian's Chromium, the reference device the CI can run. Chromium on Linux trusts the NSS
/// store under <c>$HOME/.pki/nssdb</c>; chromedriver gives no way to set Chromium's environment, so the session starts
/// Chromium through a two-line wrapper that sets HOME to this run's folder. Trust changes restart the session, since
/// Chromium reads the store when it starts.
/// </summary>
public sealed class AppiumChromiumDriver(Uri appium, ChromiumAppSettings settings, ScenarioRunner? runner = null) : IAppDriver
{
    public const string RunCaNickname = "mstg-run-ca";
    private readonly ScenarioRunner _runner = runner ?? new ScenarioRunner();
    private readonly string _work = settings.WorkDirectory ?? Directory.CreateTempSubdirectory("mstg-chromium-").FullName;
    private readonly bool _ownsWork = settings.WorkDirectory is null;
    private NssTrustStore? _store;
    private RemoteWebDriver? _session;
    private string _logOfLastSession = "";

    public string Name => "appium-chromium";
    public RemoteWebDriver Session => _session ?? throw new InvalidOperationException("appium-chromium: the app is not started");
    public string WorkDirectory => _work;

    public async Task StartAsync(CancellationToken ct = default)
    {
        if (_session is not null) return;
        foreach (var (path, what) in new[] { (settings.ChromiumPath, "Chromium"), (settings.ChromedriverPath, "chromedriver") })
            if (!File.Exists(path)) throw new DeviceEnvironmentException(what, $"{path} is missing (Debian: apt-get install chromium chromium-driver)");
        var store = await StoreAsync(ct).ConfigureAwait(false);
        var target = new DeviceTarget(Name, appium, Options(store), null, []);
        _session = AppiumSession.Open(target);
        _session.Navigate().GoToUrl(settings.StartUrl);
    }

    /// <summary>
    /// Ends the session, keeping its page console first: a caller that stops the app after a run (the dynamic suite, once
    /// per condition) reads the log afterwards, and a closed session has none.
    /// </summary>
    public Task StopAsync(CancellationToken ct = default)
    {
        if (_session is not null)
        {
            try { _logOfLastSession = AppiumSession.ReadLog(_session, "browser"); }
            catch (DeviceEnvironmentException e) { _logOfLastSession = $"(the page console could not be read before the session ended: {e.Message})"; }
        }
        AppiumSession.Close(ref _session);
        return Task.CompletedTask;
    }

    public async Task RestartAsync(CancellationToken ct = default)
    {
        await StopAsync(ct).ConfigureAwait(false);
        await StartAsync(ct).ConfigureAwait(false);
    }

    public async Task<ScenarioResult> RunScenarioAsync(Scenario scenario, CancellationToken ct = default)
    {
        var target = new WebDriverScenarioTarget(() => Session,
            async c => { if (_session is null) await StartAsync(c).ConfigureAwait(false); else _session.Navigate().GoToUrl(settings.StartUrl); },
            StopAsync,
            async (url, c) => { await StartAsync(c).ConfigureAwait(false); Session.Navigate().GoToUrl(url); });
        return await _runner.RunAsync(scenario, target, ct).ConfigureAwait(false);
    }

    public Task<byte[]?> ScreenshotAsync(CancellationToken ct = default) => Task.FromResult<byte[]?>(Session.GetScreenshot().AsByteArray);
    public Task<string?> PageSourceAsync(CancellationToken ct = default) => Task.FromResult<string?>(Session.PageSource);
    /// <summary>
    /// The page's console (chromedriver's "browser" log, enabled by goog:loggingPrefs): of the running session, or once
    /// stopped, of the session that ended last (read by <see cref="StopAsync"/>).
    /// </summary>
    public Task<string> DeviceLogAsync(CancellationToken ct = default) =>
        Task.FromResult(_session is null ? _logOfLastSession : AppiumSession.ReadLog(_session, "browser"));

    public async Task TrustCaAsync(string caPemPath, CancellationToken ct = default)
    {
        var store = await StoreAsync(ct).ConfigureAwait(false);
        await store.RemoveAsync(RunCaNickname, ct).ConfigureAwait(false);
        await store.AddRootAsync(RunCaNickname, caPemPath, ct).ConfigureAwait(false);
        if (_session is not null) await RestartAsync(ct).ConfigureAwait(false);
    }

    public async Task DistrustCaAsync(CancellationToken ct = default)
    {
        await (await StoreAsync(ct).ConfigureAwait(false)).RemoveAsync(RunCaNickname, ct).ConfigureAwait(false);
        if (_session is not null) await RestartAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The names in the run's trust store, for evidence.</summary>
    public async Task<IReadOnlyList<string>> TrustedNicknamesAsync(CancellationToken ct = default) =>
        await (await StoreAsync(ct).ConfigureAwait(false)).NicknamesAsync(ct).ConfigureAwait(false);

    private async Task<NssTrustStore> StoreAsync(CancellationToken ct)
    {
        if (_store is not null) return _store;
        var store = await NssTrustStore.CreateAsync(Path.Combine(_work, "home"), ct).ConfigureAwait(false);
        for (var i = 0; i < settings.TrustedRoots.Count; i++)
            await store.AddRootAsync($"reference-root-{i}", settings.TrustedRoots[i], ct).ConfigureAwait(false);
        return _store = store;
    }

    private AppiumOptions Options(NssTrustStore store)
    {
        var options = new AppiumOptions { BrowserName = "chrome", PlatformName = "linux", AutomationName = "Chromium" };
        options.AddAppiumOption("executable", settings.ChromedriverPath);
        options.AddAppiumOption("autodownloadEnabled", false);
        // chromedriver's default port 9515 makes the driver pkill any other chromedriver on it: always a free one.
        options.AddAppiumOption("chromedriverPort", LoopbackPorts.Free());
        var args = new List<string>
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter",
            "--host-resolver-rules=" + HostResolverRules(settings.HostRules),
            "--user-data-dir=" + Path.Combine(_work, "profile"),
        };
        if (settings.IgnoreCertificateErrors) args.Add("--ignore-certificate-errors");
        if (settings.Proxy is { } proxy && settings.ProxiedHosts.Count > 0)
            args.Add("--proxy-pac-url=" + ProxyAutoConfigUrl(proxy, settings.ProxiedHosts));
        else if (settings.Proxy is { } everything)
            args.AddRange([$"--proxy-server={everything.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)}", "--proxy-bypass-list=<-loopback>"]);
        options.AddAppiumOption("goog:loggingPrefs", new Dictionary<string, object> { ["browser"] = "ALL" });
        options.AddAppiumOption("goog:chromeOptions", new Dictionary<string, object> { ["binary"] = Wrapper(store), ["args"] = args });
        return options;
    }

    /// <summary>
    /// A PAC script as a data: URL: <paramref name="hosts"/> (exact names) through the HTTP proxy, nothing else (DIRECT,
    /// which the host rules then leave unresolvable). No fallback after the proxy: an app host never goes direct.
    /// </summary>
    public static string ProxyAutoConfigUrl(Uri proxy, IReadOnlyList<string> hosts)
    {
        var names = System.Text.Json.JsonSerializer.Serialize(hosts.Select(h => h.ToLowerInvariant()).ToArray());
        var script = $$"""
            function FindProxyForURL(url, host) {
              var app = {{names}};
              for (var i = 0; i < app.length; i++) if (host.toLowerCase() === app[i]) return "PROXY {{proxy.Host}}:{{proxy.Port.ToString(CultureInfo.InvariantCulture)}}";
              return "DIRECT";
            }
            """;
        return "data:application/x-ns-proxy-autoconfig;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(script));
    }

    /// <summary>Mapped names first, then every other name unresolvable; loopback literals (the proxy) untouched.</summary>
    public static string HostResolverRules(IReadOnlyDictionary<string, string> map) =>
        string.Join(", ", map.Select(m => $"MAP {m.Key} {m.Value}").Append("MAP * ~NOTFOUND").Append("EXCLUDE 127.0.0.1").Append("EXCLUDE localhost"));

    private string Wrapper(NssTrustStore store)
    {
        var path = Path.Combine(_work, "chromium-with-run-home.sh");
        static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        File.WriteAllText(path, $"#!/bin/sh\n# Chromium reads its NSS trust store from $HOME/.pki/nssdb: this run's store.\nHOME={Quote(store.Home)} exec {Quote(settings.ChromiumPath)} \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Ends the session and, when the driver made its own folder, deletes it (a Chromium profile is tens of MB).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (!_ownsWork) return;
        try { Directory.Delete(_work, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* Chromium's last writes may race the delete; temp space is reclaimed anyway */ }
    }
}
