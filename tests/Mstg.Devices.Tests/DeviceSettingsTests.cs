using System.Xml.Linq;
using Mstg.Devices.Appium;
using Mstg.Devices.CommandLine;

namespace Mstg.Devices.Tests;

/// <summary>The runsettings profiles in runsettings/ against the settings reader: each one builds its driver's target, holds no secret, and is documented.</summary>
public sealed class DeviceSettingsTests
{
    public static readonly TheoryData<string, DriverKind> Profiles = new()
    {
        { "simulator", DriverKind.Simulator }, { "device", DriverKind.Device }, { "browserstack", DriverKind.BrowserStack },
        { "saucelabs", DriverKind.SauceLabs }, { "lambdatest", DriverKind.LambdaTest }, { "aws-devicefarm", DriverKind.AwsDeviceFarm },
    };

    // What the CI's secret store (or Device Farm's host) would add to the profile's variables.
    private static readonly Dictionary<string, string> Secrets = new()
    {
        [DeviceProfiles.BrowserStackUser] = "u", [DeviceProfiles.BrowserStackKey] = "k", [DeviceProfiles.SauceUser] = "u", [DeviceProfiles.SauceKey] = "k",
        [DeviceProfiles.LambdaTestUser] = "u", [DeviceProfiles.LambdaTestKey] = "k", ["DEVICEFARM_DEVICE_UDID"] = "00008110-000A1C2E0E91801E",
        ["DEVICEFARM_DEVICE_NAME"] = "Apple iPhone 14", ["DEVICEFARM_DEVICE_OS_VERSION"] = "16.6", ["DEVICEFARM_APP_PATH"] = "/tmp/Bank.ipa",
    };

    private static Dictionary<string, string> FileVariables(string profile) =>
        XDocument.Load(Path.Combine(Mstg.Fixtures.RepositoryLayout.Root, "runsettings", profile + ".runsettings"))
            .Descendants("EnvironmentVariables").Elements().ToDictionary(e => e.Name.LocalName, e => e.Value);

    /// <summary>The settings a profile gives, under the names the suite reads them by (MSTG_DEFAULT_X is the file's value for MSTG_X).</summary>
    private static Dictionary<string, string> ProfileVariables(string profile) =>
        FileVariables(profile).ToDictionary(kv => kv.Key.StartsWith("MSTG_DEFAULT_", StringComparison.Ordinal) ? "MSTG_" + kv.Key["MSTG_DEFAULT_".Length..] : kv.Key,
            kv => kv.Value);

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Each_profile_gives_way_to_the_environment(string profile, DriverKind kind)
    {
        // VSTest copies a runsettings file's variables over the process environment: a plain MSTG_DRIVER or MSTG_UDID in the
        // file would beat `dotnet test -e` and the CI job's values. Only MSTG_DEFAULT_* names may appear (docs/configuration.md).
        _ = kind;
        // (A farm's own variable such as SAUCE_REGION is read straight from the environment and has no default form.)
        FileVariables(profile).Keys.Where(k => k.StartsWith("MSTG_", StringComparison.Ordinal) && !k.StartsWith("MSTG_DEFAULT_", StringComparison.Ordinal))
            .Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Each_profile_builds_its_target_and_holds_no_secret(string profile, DriverKind kind)
    {
        var variables = ProfileVariables(profile);
        // MSTG_APP is the static suite's app (README, precedence); everything else is a documented, non-secret device setting.
        variables.Keys.Where(k => k != "MSTG_APP")
            .Should().BeSubsetOf(DeviceSettings.Variables, "a profile sets only documented, non-secret variables");
        var env = new Dictionary<string, string>(variables);
        foreach (var (k, v) in Secrets) env[k] = v;
        var settings = DeviceSettings.FromEnvironment(env.GetValueOrDefault);
        settings.Kind.Should().Be(kind);
        settings.IsXcuitest.Should().BeTrue();
        var target = settings.XcuitestTarget();
        target.Options.ToCapabilities().GetCapability("appium:automationName")
            .Should().Be(kind == DriverKind.LambdaTest ? null : "XCUITest", "LambdaTest takes its automation from lt:options");
    }

    [Fact]
    public void Every_profile_and_variable_is_documented()
    {
        var doc = File.ReadAllText(Path.Combine(Mstg.Fixtures.RepositoryLayout.Root, "docs", "devices.md"));
        foreach (var profile in new[] { "local", "simulator", "device", "browserstack", "saucelabs", "lambdatest", "aws-devicefarm" })
            doc.Should().Contain($"runsettings/{profile}.runsettings");
        foreach (var variable in DeviceSettings.Variables)
            doc.Should().Contain($"`{variable}`");
    }

    [Fact]
    public void No_driver_means_the_local_chromium_reference_device()
    {
        DeviceSettings.FromEnvironment(_ => null).Kind.Should().Be(DriverKind.Chromium);
    }

    [Fact]
    public void Unknown_driver_or_missing_setting_is_an_environment_error_naming_the_variable()
    {
        var unknown = () => DeviceSettings.FromEnvironment(n => n == "MSTG_DRIVER" ? "android" : null);
        unknown.Should().Throw<DeviceEnvironmentException>().Which.Variable.Should().Be("MSTG_DRIVER");
        var simulator = DeviceSettings.FromEnvironment(n => n == "MSTG_DRIVER" ? "simulator" : null);
        var build = () => simulator.XcuitestTarget();
        build.Should().Throw<DeviceEnvironmentException>().Which.Variable.Should().Be("MSTG_APPIUM_URL");
    }

    [Fact]
    public async Task Process_driver_comes_from_a_one_line_command_template()
    {
        var env = new Dictionary<string, string>
        {
            ["MSTG_DRIVER"] = "process", ["MSTG_APP_COMMAND"] = "curl --proxy {proxy} --cacert {ca} {url}", ["MSTG_APP_URL"] = "https://bank.reference.test/",
        };
        await using var driver = DeviceSettings.FromEnvironment(env.GetValueOrDefault).CreateDriver(null, new Uri("http://127.0.0.1:8080"));
        ((ProcessAppDriver)driver).Arguments.Should().Equal("curl", "--proxy", "http://127.0.0.1:8080", "--cacert", "/etc/ssl/certs/ca-certificates.crt", "https://bank.reference.test/");
    }
}
