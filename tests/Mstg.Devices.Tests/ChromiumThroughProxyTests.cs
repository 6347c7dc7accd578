using System.Collections.Concurrent;
using System.Net;
using Mstg.Devices.Appium;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Pipeline;
using OpenQA.Selenium;
using OpenQA.Selenium.Remote;

namespace Mstg.Devices.Tests;

/// <summary>
/// The local reference device end to end: a real Appium server drives Debian's Chromium (through chromedriver) to a
/// reference host name, with its traffic routed through the suite's proxy; the proxy's events must show the
/// connections. The proxy reaches only mapped hosts, so Chromium's own background traffic never leaves the machine.
/// </summary>
public sealed class ChromiumThroughProxyTests(AppiumServerFixture appium) : IAsyncLifetime
{
    private const string ReferenceHost = "bank.reference.test";
    // A raw TCP origin rather than HttpListener: HttpListener refuses a Host header (bank.reference.test) that does not
    // match its 127.0.0.1 prefix, and binding it to every address would take it off loopback.
    private readonly System.Net.Sockets.TcpListener _origin = new(IPAddress.Loopback, 0);
    private ProxyServer _proxy = null!;
    private readonly ConcurrentQueue<ProxyEvent> _events = new();
    private IDisposable? _subscription;
    private int _originPort;

    public ValueTask InitializeAsync()
    {
        _origin.Start();
        _originPort = ((IPEndPoint)_origin.LocalEndpoint).Port;
        _ = Task.Run(ServeAsync);
        _proxy = new ProxyServer(new ProxyOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Condition = CertificateCondition.Passthrough,
            HostMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [ReferenceHost] = $"127.0.0.1:{_originPort}" },
            HostMapOnly = true,
        });
        _subscription = _proxy.Events.Subscribe(new Collector(_events));
        _proxy.Start();
        return ValueTask.CompletedTask;
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            System.Net.Sockets.TcpClient client;
            try { client = await _origin.AcceptTcpClientAsync(); }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(async () =>
            {
                using var _ = client;
                var stream = client.GetStream();
                var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
                try
                {
                    while (await reader.ReadLineAsync() is { Length: > 0 } requestLine)
                    {
                        while (await reader.ReadLineAsync() is { Length: > 0 }) { } // headers; GETs carry no body
                        var path = requestLine.Split(' ')[1];
                        var body = path.EndsWith('/')
                            ? "<html><head><title>Reference bank</title></head><body><h1 id='balance'>42.00</h1></body></html>"
                            : "";
                        var status = body.Length == 0 ? "404 Not Found" : "200 OK";
                        var head = $"HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {System.Text.Encoding.UTF8.GetByteCount(body)}\r\n\r\n";
                        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(head + body));
                    }
                }
                catch (IOException) { }
            });
        }
    }

    [Fact]
    public void Appium_chromium_session_loads_the_reference_page_through_the_proxy()
    {
        var options = new AppiumOptions { BrowserName = "chrome", PlatformName = "linux", AutomationName = "Chromium" };
        options.AddAppiumOption("executable", "/usr/bin/chromedriver");
        options.AddAppiumOption("autodownloadEnabled", false);
        // chromedriver's default port 9515 makes the driver pkill any other chromedriver on it: always a free one.
        options.AddAppiumOption("chromedriverPort", LoopbackPorts.Free());
        options.AddAppiumOption("goog:chromeOptions", new Dictionary<string, object>
        {
            ["binary"] = "/usr/bin/chromium",
            ["args"] = new[]
            {
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter",
                $"--proxy-server=http://{_proxy.Endpoint}", "--proxy-bypass-list=<-loopback>",
                $"--user-data-dir={Directory.CreateTempSubdirectory("mstg-chromium-").FullName}",
            },
        });

        using var driver = new RemoteWebDriver(appium.Server.Url, options.ToCapabilities(), TimeSpan.FromSeconds(120));
        driver.Navigate().GoToUrl($"http://{ReferenceHost}/");
        string Evidence() => string.Join("\n", _events.Select(e => $"{e.Type} {e.Host}:{e.Port} {e.Url} {e.Outcome} {e.Detail}")) + "\n" + driver.PageSource;
        driver.Title.Should().Be("Reference bank", Evidence());
        driver.FindElement(By.Id("balance")).Text.Should().Be("42.00");
        driver.GetScreenshot().AsByteArray.Length.Should().BeGreaterThan(100);

        var flows = _events.Where(e => e.Type == "flow").ToList();
        flows.Select(f => f.Url).Should().Contain($"http://{ReferenceHost}/", string.Join("\n", _events.Select(e => $"{e.Type} {e.Host} {e.Url} {e.Outcome} {e.Detail}")));
        flows.Should().Contain(f => f.Url == $"http://{ReferenceHost}/" && f.Status == 200);
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        await _proxy.DisposeAsync();
        _origin.Stop();
    }

    private sealed class Collector(ConcurrentQueue<ProxyEvent> into) : IObserver<ProxyEvent>
    {
        public void OnNext(ProxyEvent value) => into.Enqueue(value);
        public void OnError(Exception error) { }
        public void OnCompleted() { }
    }
}
