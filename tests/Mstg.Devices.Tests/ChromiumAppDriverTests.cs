using Mstg.Devices.Chromium;
using Mstg.Devices.Scenarios;
using Mstg.Devices.Tests.Infrastructure;
using Mstg.Proxy.Certificates;

namespace Mstg.Devices.Tests;

/// <summary>
/// The reference device end to end: real Appium sessions on Debian's Chromium, routed through the suite's proxy (which
/// reaches only the reference origin), trusting exactly the roots in the run's NSS store. Each trust case is proven both
/// ways, and the origin's request count shows whether the app's traffic got past TLS.
/// </summary>
public sealed class ChromiumAppDriverTests(AppiumServerFixture appium)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AppiumChromiumDriver Driver(ReferenceOrigin origin, ProxyRecorder proxy, params string[] roots) =>
        new(appium.Server.Url, new ChromiumAppSettings(origin.Url) { Proxy = proxy.Url, TrustedRoots = roots });

    [Fact]
    public async Task Scenario_file_runs_end_to_end_through_the_proxy_and_the_events_show_the_app_calls()
    {
        await using var origin = new ReferenceOrigin(tls: false);
        await using var proxy = new ProxyRecorder(origin, CertificateCondition.Passthrough);
        await using var driver = Driver(origin, proxy);
        var scenario = ScenarioParser.Load(Path.Combine(Mstg.Fixtures.RepositoryLayout.Root, "docs", "scenarios", "reference-bank.json"));

        var result = await driver.RunScenarioAsync(scenario, Ct);

        result.Passed.Should().BeTrue(string.Join("\n", result.Steps.Select(s => $"{s.Name}: {s.Outcome} {s.Error}")) + "\n" + proxy.Describe());
        result.Steps.Should().HaveCount(5);
        await driver.StartAsync(Ct);
        (await driver.DeviceLogAsync(Ct)).Should().Contain("reference bank loaded", "the page's console reaches the device log");
        // Reading the log drains it; a fresh session logs the page load again, and its console outlives the stop.
        await driver.RestartAsync(Ct);
        await driver.StopAsync(Ct);
        (await driver.DeviceLogAsync(Ct)).Should().Contain("reference bank loaded", "the stopped session's console is kept (a condition's window reads it after the app stopped)");
        var flows = proxy.Events.Where(e => e.Type == "flow").ToList();
        flows.Should().Contain(f => f.Url == "http://bank.reference.test/" && f.Status == 200, proxy.Describe());
        flows.Should().Contain(f => f.Url == "http://bank.reference.test/api/balance" && f.Status == 200, "the tap step made the page call its server");
        proxy.Events.Where(e => e.Host is not null && e.Host != ReferenceOrigin.Host && e.Outcome == Mstg.Proxy.Evidence.ConnectionOutcome.Accepted)
            .Should().BeEmpty("HostMapOnly: nothing but the reference origin is reached");
    }

    [Theory]
    [InlineData(true)]  // the reference root is in the run's NSS store: the page loads
    [InlineData(false)] // an empty store: Chromium refuses the origin's certificate, the origin sees no request
    public async Task Reference_root_in_the_nss_store_decides_whether_the_https_origin_loads(bool trusted)
    {
        await using var origin = new ReferenceOrigin(tls: true);
        await using var proxy = new ProxyRecorder(origin, CertificateCondition.Passthrough);
        var dir = Directory.CreateTempSubdirectory("mstg-nss-").FullName;
        await using var driver = trusted ? Driver(origin, proxy, origin.WriteRootPem(dir)) : Driver(origin, proxy);

        await driver.StartAsync(Ct);

        (await driver.TrustedNicknamesAsync(Ct)).Should().Equal(trusted ? ["reference-root-0"] : []);
        if (trusted)
        {
            driver.Session.Title.Should().Be("Reference bank", proxy.Describe());
            origin.Requests.Should().BeGreaterThan(0);
        }
        else
        {
            driver.Session.Title.Should().NotBe("Reference bank");
            (await driver.PageSourceAsync(Ct)).Should().Contain("ERR_CERT_AUTHORITY_INVALID");
            origin.Requests.Should().Be(0, "TLS failed before any request");
        }
        await driver.StopAsync(Ct); // a tunnel's event is written when it closes
        (await proxy.WaitForEventAsync(e => e.Host == ReferenceOrigin.Host, TimeSpan.FromSeconds(10)))
            .Should().BeTrue("the connection went through the proxy: " + proxy.Describe());
    }

    [Fact]
    public async Task Trusting_then_distrusting_the_run_ca_switches_the_intercepted_origin_on_and_off()
    {
        await using var origin = new ReferenceOrigin(tls: true);
        await using var proxy = new ProxyRecorder(origin, CertificateCondition.TrustedCa, origin.RootPem);
        var dir = Directory.CreateTempSubdirectory("mstg-runca-").FullName;
        await using var driver = Driver(origin, proxy, origin.WriteRootPem(dir));

        await driver.StartAsync(Ct);
        driver.Session.Title.Should().NotBe("Reference bank", "the run CA is not trusted yet");
        origin.Requests.Should().Be(0);

        await driver.TrustCaAsync(proxy.WriteCaPem(dir), Ct);
        driver.Session.Title.Should().Be("Reference bank", proxy.Describe());
        (await driver.TrustedNicknamesAsync(Ct)).Should().BeEquivalentTo("reference-root-0", AppiumChromiumDriver.RunCaNickname);
        proxy.Events.Should().Contain(e => e.Type == "flow" && e.Url == "https://bank.reference.test/" && e.Status == 200,
            "the proxy decrypted the app's request: " + proxy.Describe());

        var before = origin.Requests;
        await driver.DistrustCaAsync(Ct);
        driver.Session.Title.Should().NotBe("Reference bank", "the run CA was withdrawn");
        origin.Requests.Should().Be(before);
    }

    [Fact]
    public async Task With_the_apps_hosts_named_only_they_reach_the_proxy_and_the_page_still_loads_through_it()
    {
        // Without ProxiedHosts Chromium's own requests (update checks, sign-in, autofill) reach the proxy, which refuses
        // them (HostMapOnly); with them a PAC script sends only the app's names there, every other name is unresolvable.
        await using var origin = new ReferenceOrigin(tls: false);
        await using var proxy = new ProxyRecorder(origin, CertificateCondition.Passthrough);
        await using var driver = new AppiumChromiumDriver(appium.Server.Url, new ChromiumAppSettings(origin.Url)
        {
            Proxy = proxy.Url, ProxiedHosts = [ReferenceOrigin.Host],
        });

        await driver.StartAsync(Ct);
        driver.Session.Title.Should().Be("Reference bank", proxy.Describe());
        await Task.Delay(TimeSpan.FromSeconds(3), Ct); // room for Chromium's start-up background requests
        await driver.StopAsync(Ct);

        (await proxy.WaitForEventAsync(e => e.Type == "flow" && e.Url == "http://bank.reference.test/", TimeSpan.FromSeconds(10)))
            .Should().BeTrue("the app's own request went through the proxy: " + proxy.Describe());
        proxy.Events.Where(e => e.Host is not null).Should().OnlyContain(e => e.Host == ReferenceOrigin.Host, proxy.Describe());
    }

    [Fact]
    public void The_pac_script_proxies_exactly_the_named_hosts_and_sends_the_rest_direct()
    {
        var url = AppiumChromiumDriver.ProxyAutoConfigUrl(new Uri("http://127.0.0.1:8080"), ["Api.Example.test", "cdn.example.test"]);
        url.Should().StartWith("data:application/x-ns-proxy-autoconfig;base64,");
        var script = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(url[(url.IndexOf(',') + 1)..]));
        script.Should().Contain("[\"api.example.test\",\"cdn.example.test\"]").And.Contain("return \"PROXY 127.0.0.1:8080\"").And.Contain("return \"DIRECT\"");
    }

    [Fact]
    public async Task A_missing_chromium_is_an_environment_error_naming_the_path()
    {
        await using var origin = new ReferenceOrigin(tls: false);
        await using var proxy = new ProxyRecorder(origin, CertificateCondition.Passthrough);
        await using var driver = new AppiumChromiumDriver(appium.Server.Url, new ChromiumAppSettings(origin.Url) { ChromiumPath = "/nonexistent/chromium" });
        var start = () => driver.StartAsync(Ct);
        (await start.Should().ThrowAsync<DeviceEnvironmentException>()).Which.Message.Should().Contain("/nonexistent/chromium").And.Contain("apt-get install");
    }

    [Fact]
    public async Task Disposing_removes_the_run_folder_with_its_trust_store()
    {
        await using var origin = new ReferenceOrigin(tls: false);
        var driver = new AppiumChromiumDriver(appium.Server.Url, new ChromiumAppSettings(origin.Url));
        (await driver.TrustedNicknamesAsync(Ct)).Should().BeEmpty();
        Directory.Exists(Path.Combine(driver.WorkDirectory, "home", ".pki", "nssdb")).Should().BeTrue();
        await driver.DisposeAsync();
        Directory.Exists(driver.WorkDirectory).Should().BeFalse();
    }

    [Fact]
    public void Host_resolver_rules_map_reference_names_and_leave_nothing_else_resolvable()
    {
        AppiumChromiumDriver.HostResolverRules(new Dictionary<string, string> { [ReferenceOrigin.Host] = "127.0.0.1" })
            .Should().Be("MAP bank.reference.test 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost");
    }
}
