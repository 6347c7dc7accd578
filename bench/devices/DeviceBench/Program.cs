// Measures the device side of a run on the reference device: Appium server start, Chromium session start (the NSS
// store made once), one scenario through the proxy, and restarting a command-line app (curl). Prints one JSON line
// per measure with the mean, min and max over the runs. Usage: DeviceBench <repository root> <origin port> [runs]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Mstg.Devices.Appium;
using Mstg.Devices.Chromium;
using Mstg.Devices.CommandLine;
using Mstg.Devices.Scenarios;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Pipeline;

var root = args[0];
var originPort = int.Parse(args[1], CultureInfo.InvariantCulture);
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
const string host = "bank.reference.test";

await using var proxy = new ProxyServer(new ProxyOptions
{
    Listen = new IPEndPoint(IPAddress.Loopback, 0), Condition = CertificateCondition.Passthrough,
    HostMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [host] = $"127.0.0.1:{originPort}" }, HostMapOnly = true,
});
proxy.Start();
var proxyUrl = new Uri($"http://127.0.0.1:{proxy.Endpoint.Port}");
var startUrl = new Uri($"http://{host}/");

var clock = Stopwatch.StartNew();
await using var appium = await AppiumServer.StartAsync(root);
Report("appium_server_start", [clock.Elapsed.TotalMilliseconds]);

var scenario = ScenarioParser.Load(Path.Combine(root, "docs", "scenarios", "reference-bank.json"));
var sessionStarts = new List<double>();
var scenarioRuns = new List<double>();
await using (var chromium = new AppiumChromiumDriver(appium.Url, new ChromiumAppSettings(startUrl) { Proxy = proxyUrl }))
{
    for (var i = 0; i <= runs; i++) // run 0 warms up (NSS store, first chromedriver start)
    {
        clock.Restart();
        await chromium.StartAsync();
        var started = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var result = await chromium.RunScenarioAsync(scenario);
        var ran = clock.Elapsed.TotalMilliseconds;
        if (!result.Passed) throw new InvalidOperationException("scenario failed: " + result.FirstFailure?.Error);
        await chromium.StopAsync();
        if (i == 0) continue;
        sessionStarts.Add(started);
        scenarioRuns.Add(ran);
    }
}
Report("chromium_session_start", sessionStarts);
Report("scenario_run_5_steps", scenarioRuns);

var curl = ProcessAppSettings.SplitTemplate("curl --silent --show-error --fail --proxy {proxy} {url}");
var launch = ScenarioParser.Parse("""{ "steps": [ { "action": "launch" } ] }""", "launch.json");
var restarts = new List<double>();
await using (var app = new ProcessAppDriver(new ProcessAppSettings(curl, startUrl, proxyUrl)))
{
    for (var i = 0; i <= runs * 4; i++)
    {
        clock.Restart();
        var result = await app.RunScenarioAsync(launch);
        if (!result.Passed) throw new InvalidOperationException("curl failed: " + app.LastRun);
        if (i > 0) restarts.Add(clock.Elapsed.TotalMilliseconds);
    }
}
Report("process_app_restart_curl", restarts);

static void Report(string name, IReadOnlyList<double> ms) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $$"""{"measure":"{{name}}","runs":{{ms.Count}},"mean_ms":{{ms.Average():0.0}},"min_ms":{{ms.Min():0.0}},"max_ms":{{ms.Max():0.0}}}"""));
