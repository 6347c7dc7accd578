using System.Text.Json.Nodes;
using Mstg.Devices.Appium;

namespace Mstg.Devices.Tests;

/// <summary>
/// The device a report names for each XCUITest and farm profile (<see cref="DeviceTarget.Device"/>), checked against the
/// W3C body Selenium actually sends (captured on the loopback server, no session opened): the name is the device the
/// session asks for, never a credential.
/// </summary>
public sealed class DeviceNameTests
{
    private static readonly FarmApp Bank = new("iPhone 15", "17", "bs://c700ce60cf13ae8ed97705a55b8e022f13c5827c", "org.example.bank", "run-42", "session", null);
    private static Dictionary<string, string> Env => FarmCapabilityTests.Env;

    public static TheoryData<string, string> Profiles => new()
    {
        { "simulator", "iPhone 15 (iOS 17.5)" },
        { "device", "iPhone 00008110-000A1C2E0E91801E (iOS 17.5)" },
        { "browserstack", "iPhone 15 (iOS 17)" },
        { "saucelabs", "iPhone 15 (iOS 17)" },
        { "lambdatest", "iPhone 15 (iOS 17)" },
        { "aws-devicefarm", "Apple iPhone 14 (iOS 16.6)" },
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Device_name_is_the_device_and_version_the_session_asks_for(string profile, string expected)
    {
        var target = Target(profile);
        target.Device.Should().Be(expected);

        // The same values are in the body sent to the hub: under appium: or in the farm's own options block.
        var sent = CapabilityPayloadTests.SentCapabilities(target.Options);
        var block = sent.Select(p => p.Value).OfType<JsonObject>().FirstOrDefault() ?? sent;
        var deviceName = (string?)(sent["appium:deviceName"] ?? block["deviceName"]);
        var version = (string?)(sent["appium:platformVersion"] ?? block["platformVersion"] ?? block["osVersion"]);
        expected.Should().StartWith(deviceName!).And.EndWith($"(iOS {version})");
        target.Device.Should().NotContain("secret").And.NotContain("alice");
    }

    private static DeviceTarget Target(string profile)
    {
        var hub = new Uri("http://127.0.0.1:4723/");
        return profile switch
        {
            "simulator" => DeviceProfiles.Simulator(hub, "iPhone 15", "17.5", "/builds/Bank.app", null, "A1B2C3D4-0000-4000-8000-000000000001"),
            "device" => DeviceProfiles.RealDevice(hub, "00008110-000A1C2E0E91801E", "17.5", "/builds/Bank.ipa"),
            "browserstack" => DeviceProfiles.BrowserStack(Bank, Env.GetValueOrDefault),
            "saucelabs" => DeviceProfiles.SauceLabs(Bank, Env.GetValueOrDefault),
            "lambdatest" => DeviceProfiles.LambdaTest(Bank, Env.GetValueOrDefault),
            _ => DeviceProfiles.AwsDeviceFarm(null, Env.GetValueOrDefault),
        };
    }
}
