using Mstg.Devices.Chromium;
using Mstg.Devices.Scenarios;
using Mstg.ReferenceTargets.Appium;
using Mstg.ReferenceTargets.Backend;
using Mstg.ReferenceTargets.Catalog;

namespace Mstg.ReferenceTargets.Tests;

/// <summary>
/// The reference web app in Debian's Chromium through a real Appium 3 session, against the real backend: the secure
/// flavour logs in over HTTPS on both first-party hosts, the insecure one also loads cleartext, and the
/// <c>--ignore-certificate-errors</c> flag is what lets it past a certificate Chromium does not trust.
/// </summary>
public sealed class WebAppTests(ReferenceBackendFixture fixture, AppiumServerFixture appium)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private ReferenceBackend Backend => fixture.Backend;
    private ReferenceTargetContext Context => new(Backend) { Appium = appium.Server.Url };

    private static string Describe(ScenarioResult result) =>
        string.Join("\n", result.Steps.Select(s => $"{s.Name}: {s.Outcome} {s.Error}")) + "\n" + result.FirstFailure?.PageSource;

    [Fact]
    public async Task Secure_web_app_logs_in_over_https_on_both_first_party_hosts()
    {
        var target = ReferenceTargetCatalog.Get("webapp-secure");
        var before = (Api: Backend.RequestsTo(ReferenceHosts.Api, "/api/profile"), Auth: Backend.RequestsTo(ReferenceHosts.Auth, "/api/profile"));
        await using var driver = await target.CreateAsync(Context, ct: Ct);

        var result = await driver.RunScenarioAsync(target.LoadScenario(), Ct);

        result.Passed.Should().BeTrue(Describe(result));
        Backend.RequestsTo(ReferenceHosts.Api, "/api/profile").Should().BeGreaterThan(before.Api);
        Backend.RequestsTo(ReferenceHosts.Auth, "/api/profile").Should().BeGreaterThan(before.Auth);
        Backend.Requests.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)).Should().OnlyContain(r => r.Scheme == "https");
        (await driver.DeviceLogAsync(Ct)).Should().Contain("reference web app (secure): logged-in");
    }

    [Fact]
    public async Task Insecure_web_app_loads_its_page_and_the_third_party_script_over_http()
    {
        var target = ReferenceTargetCatalog.Get("webapp-insecure");
        var before = Backend.Requests.Count(r => r.Scheme == "http" && r.Host == ReferenceHosts.Cdn);
        await using var driver = await target.CreateAsync(Context, ct: Ct);

        var result = await driver.RunScenarioAsync(target.LoadScenario(), Ct);

        result.Passed.Should().BeTrue(Describe(result));
        Backend.Requests.Count(r => r.Scheme == "http" && r.Host == ReferenceHosts.Cdn && r.Path == "/cdn/lib.js").Should().BeGreaterThan(before);
        Backend.Requests.Should().Contain(r => r.Scheme == "http" && r.Host == ReferenceHosts.Api && r.Path == "/insecure/");
    }

    [Theory]
    [InlineData(false, false)] // the secure flavour with an empty trust store: the page never loads
    [InlineData(true, true)]   // the insecure flavour with the same empty store: --ignore-certificate-errors logs in anyway
    public async Task Without_the_reference_root_only_the_flag_gets_past_the_certificate(bool ignoreErrors, bool loggedIn)
    {
        await using var driver = new AppiumChromiumDriver(appium.Server.Url, new ChromiumAppSettings(ignoreErrors ? Backend.InsecureWebAppUrl : Backend.WebAppUrl)
        {
            HostRules = Backend.ChromiumHostRules, IgnoreCertificateErrors = ignoreErrors,
        });
        var scenario = ReferenceTargetCatalog.Get(ignoreErrors ? "webapp-insecure" : "webapp-secure").LoadScenario();

        var result = await driver.RunScenarioAsync(scenario, Ct);

        result.Passed.Should().Be(loggedIn, Describe(result));
        if (!loggedIn) result.FirstFailure!.PageSource.Should().Contain("ERR_CERT_AUTHORITY_INVALID");
    }
}
