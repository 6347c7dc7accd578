using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mstg.Devices.Appium;

namespace Mstg.Devices.Tests;

/// <summary>
/// Each XCUITest and farm profile as the exact W3C body Selenium sends (captured, not built by hand), against the
/// capability names the vendors document: appium-xcuitest-driver capabilities.md; BrowserStack App Automate
/// "bstack:options" (userName, accessKey, deviceName, osVersion, projectName, buildName, sessionName, local,
/// localIdentifier, acceptInsecureCerts); Sauce Labs "sauce:options" (username, accessKey, appiumVersion, build, name,
/// tunnelName); LambdaTest "lt:options" (user, accessKey, platformName, deviceName, platformVersion, isRealMobile, app,
/// build, name, network, tunnel, tunnelName); AWS Device Farm's DEVICEFARM_* host variables. No session is opened.
/// </summary>
public sealed class FarmCapabilityTests
{
    private static readonly FarmApp Bank = new("iPhone 15", "17", "bs://c700ce60cf13ae8ed97705a55b8e022f13c5827c", "org.example.bank", "run-42", "MSTG-NETWORK-3 trusted-ca", "mstg-run-42");
    /// <summary>What a CI's secret store and Device Farm's host would set: the farms' credentials and Device Farm's device variables.</summary>
    internal static readonly Dictionary<string, string> Env = new()
    {
        [DeviceProfiles.BrowserStackUser] = "alice1", [DeviceProfiles.BrowserStackKey] = "bs-secret-key",
        [DeviceProfiles.SauceUser] = "alice2", [DeviceProfiles.SauceKey] = "sauce-secret-key",
        [DeviceProfiles.LambdaTestUser] = "alice3", [DeviceProfiles.LambdaTestKey] = "lt-secret-key",
        ["DEVICEFARM_DEVICE_UDID"] = "00008110-000A1C2E0E91801E", ["DEVICEFARM_DEVICE_NAME"] = "Apple iPhone 14",
        ["DEVICEFARM_DEVICE_OS_VERSION"] = "16.6", ["DEVICEFARM_APP_PATH"] = "/tmp/scratch/Bank.ipa",
    };

    private static string? FromEnv(string name) => Env.GetValueOrDefault(name);

    private static void ShouldSend(DeviceTarget target, string expectedJson) =>
        JsonSerializer.Serialize(CapabilityPayloadTests.SentCapabilities(target.Options))
            .Should().Be(JsonSerializer.Serialize(JsonNode.Parse(expectedJson)));

    [Fact]
    public void Simulator_sends_xcuitest_capabilities_under_the_appium_prefix()
    {
        var target = DeviceProfiles.Simulator(new Uri("http://mac.local:4723/"), "iPhone 15", "17.5", "/builds/Bank.app", "org.example.bank", "A1B2C3D4-0000-4000-8000-000000000001");
        ShouldSend(target, """
            {"platformName":"iOS","appium:automationName":"XCUITest","appium:deviceName":"iPhone 15","appium:platformVersion":"17.5",
             "appium:udid":"A1B2C3D4-0000-4000-8000-000000000001","appium:app":"/builds/Bank.app","appium:newCommandTimeout":120}
            """);
        target.Hub.Should().Be(new Uri("http://mac.local:4723/"));
    }

    [Fact]
    public void Real_device_adds_webdriveragent_signing()
    {
        var target = DeviceProfiles.RealDevice(new Uri("http://mac.local:4723/"), "00008110-000A1C2E0E91801E", "17.5", "/builds/Bank.ipa", xcodeOrgId: "ABCDE12345");
        ShouldSend(target, """
            {"platformName":"iOS","appium:automationName":"XCUITest","appium:deviceName":"iPhone","appium:platformVersion":"17.5",
             "appium:udid":"00008110-000A1C2E0E91801E","appium:app":"/builds/Bank.ipa","appium:newCommandTimeout":120,
             "appium:xcodeOrgId":"ABCDE12345","appium:xcodeSigningId":"Apple Development"}
            """);
    }

    [Fact]
    public void BrowserStack_sends_bstack_options_with_browserstack_local()
    {
        var target = DeviceProfiles.BrowserStack(Bank, FromEnv);
        ShouldSend(target, """
            {"platformName":"iOS","appium:automationName":"XCUITest","appium:app":"bs://c700ce60cf13ae8ed97705a55b8e022f13c5827c",
             "bstack:options":{"userName":"alice1","accessKey":"bs-secret-key","deviceName":"iPhone 15","osVersion":"17",
               "projectName":"MstgTests","buildName":"run-42","sessionName":"MSTG-NETWORK-3 trusted-ca","acceptInsecureCerts":true,
               "local":true,"localIdentifier":"mstg-run-42"}}
            """);
        target.Hub.Should().Be(new Uri("https://hub-cloud.browserstack.com/wd/hub"));
    }

    [Fact]
    public void Sauce_labs_sends_sauce_options_with_the_sauce_connect_tunnel_and_the_region_hub()
    {
        var env = new Dictionary<string, string>(Env) { [DeviceProfiles.SauceRegion] = "eu-central-1" };
        var target = DeviceProfiles.SauceLabs(Bank with { App = "storage:filename=Bank.ipa", DeviceName = "iPhone.*" }, env.GetValueOrDefault);
        ShouldSend(target, """
            {"platformName":"iOS","appium:automationName":"XCUITest","appium:deviceName":"iPhone.*","appium:platformVersion":"17",
             "appium:app":"storage:filename=Bank.ipa",
             "sauce:options":{"username":"alice2","accessKey":"sauce-secret-key","appiumVersion":"latest","build":"run-42",
               "name":"MSTG-NETWORK-3 trusted-ca","tunnelName":"mstg-run-42"}}
            """);
        target.Hub.Should().Be(new Uri("https://ondemand.eu-central-1.saucelabs.com:443/wd/hub"));
    }

    [Fact]
    public void LambdaTest_sends_everything_inside_lt_options()
    {
        var target = DeviceProfiles.LambdaTest(Bank with { App = "lt://APP10160521061701234567" }, FromEnv);
        ShouldSend(target, """
            {"lt:options":{"user":"alice3","accessKey":"lt-secret-key","platformName":"iOS","deviceName":"iPhone 15","platformVersion":"17",
               "isRealMobile":true,"app":"lt://APP10160521061701234567","build":"run-42","name":"MSTG-NETWORK-3 trusted-ca","network":true,
               "tunnel":true,"tunnelName":"mstg-run-42"}}
            """);
        target.Hub.Should().Be(new Uri("https://mobile-hub.lambdatest.com/wd/hub"));
    }

    [Fact]
    public void Aws_device_farm_reads_the_device_from_its_host_variables()
    {
        var target = DeviceProfiles.AwsDeviceFarm("org.example.bank", FromEnv);
        ShouldSend(target, """
            {"platformName":"iOS","appium:automationName":"XCUITest","appium:deviceName":"Apple iPhone 14","appium:platformVersion":"16.6",
             "appium:udid":"00008110-000A1C2E0E91801E","appium:app":"/tmp/scratch/Bank.ipa","appium:newCommandTimeout":120}
            """);
        target.CredentialVariables.Should().BeEmpty("Device Farm runs the suites on its own host; no key travels");
    }

    [Fact]
    public void Without_a_tunnel_no_local_or_tunnel_capability_is_sent()
    {
        var noTunnel = Bank with { Tunnel = null };
        JsonSerializer.Serialize(CapabilityPayloadTests.SentCapabilities(DeviceProfiles.BrowserStack(noTunnel, FromEnv).Options)).Should().NotContain("local");
        JsonSerializer.Serialize(CapabilityPayloadTests.SentCapabilities(DeviceProfiles.SauceLabs(noTunnel, FromEnv).Options)).Should().NotContain("tunnel");
        JsonSerializer.Serialize(CapabilityPayloadTests.SentCapabilities(DeviceProfiles.LambdaTest(noTunnel, FromEnv).Options)).Should().NotContain("tunnel");
    }

    [Theory]
    [InlineData("browserstack", DeviceProfiles.BrowserStackUser)]
    [InlineData("browserstack", DeviceProfiles.BrowserStackKey)]
    [InlineData("saucelabs", DeviceProfiles.SauceUser)]
    [InlineData("saucelabs", DeviceProfiles.SauceKey)]
    [InlineData("lambdatest", DeviceProfiles.LambdaTestUser)]
    [InlineData("lambdatest", DeviceProfiles.LambdaTestKey)]
    [InlineData("aws", "DEVICEFARM_DEVICE_UDID")]
    [InlineData("aws", "DEVICEFARM_APP_PATH")]
    public void A_missing_credential_variable_is_an_environment_error_naming_it(string farm, string variable)
    {
        string? Without(string name) => name == variable ? null : FromEnv(name);
        Action build = farm switch
        {
            "browserstack" => () => DeviceProfiles.BrowserStack(Bank, Without),
            "saucelabs" => () => DeviceProfiles.SauceLabs(Bank, Without),
            "lambdatest" => () => DeviceProfiles.LambdaTest(Bank, Without),
            _ => () => DeviceProfiles.AwsDeviceFarm(null, Without),
        };
        var error = build.Should().Throw<DeviceEnvironmentException>().Which;
        error.Variable.Should().Be(variable);
        error.Message.Should().Contain(variable);
    }

    [Fact]
    public void Target_description_never_shows_the_key()
    {
        var target = DeviceProfiles.BrowserStack(Bank, FromEnv, new Uri("https://alice1:bs-secret-key@hub-cloud.browserstack.com/wd/hub"));
        target.ToString().Should().NotContain("bs-secret-key").And.Contain("hub-cloud.browserstack.com");
    }
}

/// <summary>A farm that cannot be reached or refuses the session: an environment result naming the URL and the credential variables, never the key.</summary>
public sealed class FarmReachabilityTests
{
    private static readonly FarmApp Bank = new("iPhone 15", "17", "bs://app", null, "run-1", "reachability", null);
    private static string? Env(string name) => name switch
    {
        DeviceProfiles.BrowserStackUser => "alice1", DeviceProfiles.BrowserStackKey => "bs-secret-key", _ => null,
    };

    [Fact]
    public void Unreachable_farm_hub_names_the_url_and_the_credential_variables()
    {
        var port = ClosedPort();
        var target = DeviceProfiles.BrowserStack(Bank, Env, new Uri($"http://127.0.0.1:{port}/wd/hub"));
        var open = () => AppiumSession.Open(target, TimeSpan.FromSeconds(10));
        var error = open.Should().Throw<DeviceEnvironmentException>().Which;
        error.Message.Should().Contain($"http://127.0.0.1:{port}/wd/hub").And.Contain("unreachable")
            .And.Contain("BROWSERSTACK_USERNAME").And.Contain("BROWSERSTACK_ACCESS_KEY").And.NotContain("bs-secret-key");
    }

    [Fact]
    public async Task Missing_mac_appium_for_a_simulator_is_an_environment_error_not_a_failed_requirement()
    {
        var port = ClosedPort();
        await using var driver = new AppiumXcuitestDriver(DeviceProfiles.Simulator(new Uri($"http://127.0.0.1:{port}/"), "iPhone 15", "17.5", "/builds/Bank.app"));
        var start = () => driver.StartAsync(TestContext.Current.CancellationToken);
        var error = (await start.Should().ThrowAsync<DeviceEnvironmentException>()).Which;
        error.Message.Should().Contain($"http://127.0.0.1:{port}/").And.Contain("unreachable");
        error.Variable.Should().BeNull("a simulator needs no credential");
    }

    [Fact]
    public async Task Refused_session_that_echoes_the_key_is_scrubbed()
    {
        // A stand-in hub answering as a farm does to bad credentials, quoting what it was sent.
        using var hub = new HttpListener();
        var port = ClosedPort();
        hub.Prefixes.Add($"http://127.0.0.1:{port}/");
        hub.Start();
        var answer = Task.Run(async () =>
        {
            var context = await hub.GetContextAsync().WaitAsync(TestContext.Current.CancellationToken);
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(
                """{"value":{"error":"session not created","message":"Authorization required for accessKey bs-secret-key","stacktrace":""}}"""u8.ToArray(),
                TestContext.Current.CancellationToken);
            context.Response.Close();
        }, TestContext.Current.CancellationToken);
        var target = DeviceProfiles.BrowserStack(Bank, Env, new Uri($"http://127.0.0.1:{port}/wd/hub"));
        var open = () => AppiumSession.Open(target, TimeSpan.FromSeconds(10));
        var error = open.Should().Throw<DeviceEnvironmentException>().Which;
        await answer.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        error.Message.Should().Contain("refused the session").And.Contain("Authorization required").And.Contain("BROWSERSTACK_ACCESS_KEY")
            .And.NotContain("bs-secret-key");
    }

    private static int ClosedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
