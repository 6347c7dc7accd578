using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mstg.Devices;
using Mstg.Devices.Scenarios;
using Mstg.Proxy;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Pipeline;
using Mstg.ReferenceTargets.Appium;
using Mstg.ReferenceTargets.Backend;
using Mstg.ReferenceTargets.Catalog;

namespace Mstg.ReferenceTargets.Tests;

/// <summary>
/// Every entry of the catalogue run for real (curl, the .NET client, the web app in Chromium through Appium) against
/// the backend: the command-line ones directly, all of them through the suite's proxy under four conditions. The expected outcome of each cell is computed from the entry's
/// <see cref="KnownBehaviour"/> only, so a behaviour field that lies fails here.
/// </summary>
public sealed class CatalogTests(ReferenceBackendFixture fixture, AppiumServerFixture appium)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private ReferenceBackend Backend => fixture.Backend;

    public static TheoryData<string> ProcessTargets => new(ReferenceTargetCatalog.All.Where(t => t.Kind == DriverKind.Process).Select(t => t.Name));
    public static TheoryData<string> AllTargets => new(ReferenceTargetCatalog.All.Select(t => t.Name));

    [Fact]
    public void Catalogue_names_are_unique_and_every_scenario_file_parses()
    {
        ReferenceTargetCatalog.All.Select(t => t.Name).Should().OnlyHaveUniqueItems();
        ReferenceTargetCatalog.All.Should().Contain(t => t.Kind == DriverKind.Chromium).And.Contain(t => t.Kind == DriverKind.Process);
        foreach (var target in ReferenceTargetCatalog.All) target.LoadScenario().Steps.Should().NotBeEmpty(target.Name);
        var unknown = () => ReferenceTargetCatalog.Get("nope");
        unknown.Should().Throw<KeyNotFoundException>().WithMessage("*curl-default*");
    }

    [Theory]
    [MemberData(nameof(ProcessTargets))]
    public async Task Direct_run_succeeds_exactly_when_the_entry_says_it_works_direct(string name)
    {
        var target = ReferenceTargetCatalog.Get(name);
        await using var driver = await target.CreateAsync(new ReferenceTargetContext(Backend), ct: Ct);

        var result = await driver.RunScenarioAsync(target.LoadScenario(), Ct);

        result.Passed.Should().Be(target.Behaviour.WorksDirect, Describe(result, driver));
        if (target.Behaviour.UsesCleartext)
            Backend.Requests.Should().Contain(r => r.Scheme == "http" && target.Behaviour.CleartextHosts.Contains(r.Host));
    }

    [Theory]
    [MemberData(nameof(AllTargets))]
    public async Task Through_the_proxy_each_condition_ends_as_the_behaviour_predicts(string name)
    {
        var target = ReferenceTargetCatalog.Get(name);
        var b = target.Behaviour;
        var expectations = new (CertificateCondition Condition, bool TrustRunCa, bool Expected, string Why)[]
        {
            (CertificateCondition.Passthrough, false, b.WorksDirect, "the backend's own certificates reach the client"),
            (CertificateCondition.UntrustedCa, false, b.WorksDirect && !b.ValidatesChain, "a CA the client does not trust: only a client that skips validation goes on"),
            (CertificateCondition.TrustedCa, true, b.WorksDirect && b.TrustsInstalledCa && !b.Pins, "the run CA is installed: a pinning client still refuses the proxy's key"),
            (CertificateCondition.Tls10Only, true, b.MinTls <= TlsVersion.Tls10 && b.TrustsInstalledCa && !b.Pins, "the proxy speaks only TLS 1.0 (a child process with the relaxed OpenSSL): only a client that offers 1.0 completes"),
        };
        foreach (var (condition, trust, expected, why) in expectations)
        {
            // Chromium too: the child proxy of tls10-only gets HostMapOnly with the rest of the options, and only the
            // reference names reach any proxy (ChromiumAppSettings.ProxiedHosts).
            // ProxyHost runs the TLS 1.0 condition in a child process with the relaxed OpenSSL configuration, the others in this one.
            await using var proxy = await ProxyHost.StartAsync(new ProxyOptions
            {
                Listen = new IPEndPoint(IPAddress.Loopback, 0), Condition = condition, HostMap = Backend.HostMap, HostMapOnly = true,
                UpstreamTrustedRoots = Roots(Backend.Certificates.RootPem),
            }, ct: Ct);
            var runCa = Path.Combine(Backend.Folder, $"run-ca-{Guid.NewGuid():N}.pem");
            await File.WriteAllTextAsync(runCa, proxy.CaCertificate.ExportCertificatePem(), Ct);
            await using var driver = await target.CreateAsync(new ReferenceTargetContext(Backend) { Proxy = new Uri($"http://127.0.0.1:{proxy.Endpoint.Port}"), Appium = appium.Server.Url }, trust ? runCa : null, Ct);

            var result = await driver.RunScenarioAsync(target.LoadScenario(), Ct);

            result.Passed.Should().Be(expected, $"{name} under {condition}: {why}\n{Describe(result, driver)}");
        }
    }

    [Theory]
    [InlineData("curl-strict", false)]  // --tlsv1.2: TLS 1.3 and 1.2 only
    [InlineData("curl-default", true)]  // curl 7.88 asks OpenSSL for TLS 1.0 as its minimum (SECLEVEL 2 refuses to finish it later)
    public async Task Curl_strict_alone_keeps_tls_below_1_2_out_of_its_client_hello(string name, bool offersTls10)
    {
        var target = ReferenceTargetCatalog.Get(name);
        await using var proxy = await ProxyHost.StartAsync(new ProxyOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0), Condition = CertificateCondition.Passthrough, HostMap = Backend.HostMap, HostMapOnly = true,
            UpstreamTrustedRoots = Roots(Backend.Certificates.RootPem),
        }, ct: Ct);
        await using var driver = await target.CreateAsync(new ReferenceTargetContext(Backend) { Proxy = new Uri($"http://127.0.0.1:{proxy.Endpoint.Port}") }, ct: Ct);

        var result = await driver.RunScenarioAsync(target.LoadScenario(), Ct);

        result.Passed.Should().BeTrue(Describe(result, driver));
        await proxy.Events.WaitForAsync(e => e.Type == "connection" && e.ClientHello is not null, TimeSpan.FromSeconds(20));
        var offered = proxy.Events.Snapshot().Where(e => e.ClientHello is not null).SelectMany(e => e.ClientHello!.Versions).Distinct().ToList();
        offered.Should().Contain("TLS1.2");
        offered.Contains("TLS1.0").Should().Be(offersTls10, $"{name} offered {string.Join(", ", offered)}; {target.Behaviour.Why}");
    }

    private static string Describe(ScenarioResult result, IAppDriver driver) =>
        string.Join("\n", result.Steps.Select(s => $"{s.Name}: {s.Outcome} {s.Error}")) + "\n" +
        (driver is ReferenceRootDriver process ? process.Process.LastRun.ToString() : result.FirstFailure?.PageSource);

    private static X509Certificate2Collection Roots(string pem)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(pem);
        return roots;
    }
}
