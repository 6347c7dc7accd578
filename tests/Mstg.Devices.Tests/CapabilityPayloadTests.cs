using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mstg.Devices.Appium;
using OpenQA.Selenium.Remote;

namespace Mstg.Devices.Tests;

/// <summary>
/// The exact W3C new-session payload Selenium sends for our options, captured by a loopback listener standing in for
/// the hub (it records the body and refuses the session). Capability names are the ones the vendors document:
/// appium/appium-xcuitest-driver capabilities.md, BrowserStack's bstack:options, Sauce Labs' sauce:options.
/// </summary>
public sealed class CapabilityPayloadTests
{
    internal static JsonObject SentCapabilities(AppiumOptions options)
    {
        using var listener = new HttpListener();
        var port = LoopbackPorts.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        string? body = null;
        var hub = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using (var reader = new StreamReader(context.Request.InputStream)) body = await reader.ReadToEndAsync();
            context.Response.StatusCode = 500;
            var error = """{"value":{"error":"session not created","message":"capture only","stacktrace":""}}"""u8.ToArray();
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(error);
            context.Response.Close();
        });
        var create = () => new RemoteWebDriver(new Uri($"http://127.0.0.1:{port}/"), options.ToCapabilities(), TimeSpan.FromSeconds(10));
        create.Should().Throw<Exception>(); // the stand-in hub refuses every session once it has the body
        hub.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        var first = JsonNode.Parse(body!)!["capabilities"]!["firstMatch"]![0]!.AsObject();
        first.Remove("se:remoteUrl"); // Selenium's own bookkeeping; Appium ignores it
        return first;
    }

    [Fact]
    public void Xcuitest_simulator_options_are_sent_with_the_appium_prefix()
    {
        var options = new AppiumOptions
        {
            PlatformName = "iOS", AutomationName = "XCUITest", DeviceName = "iPhone 15", PlatformVersion = "17.5",
            Udid = "00008110-000A1C2E0E91801E", App = "/builds/Bank.ipa", NewCommandTimeoutSeconds = 120,
        };
        options.AddAppiumOption("processArguments", new Dictionary<string, object> { ["env"] = new Dictionary<string, string> { ["API_BASE"] = "https://api.example.com" } });
        options.AddAppiumOption("wdaLocalPort", 8101);

        var sent = SentCapabilities(options);
        JsonSerializer.Serialize(sent).Should().Be(JsonSerializer.Serialize(JsonNode.Parse("""
            {"platformName":"iOS","appium:automationName":"XCUITest","appium:deviceName":"iPhone 15","appium:platformVersion":"17.5",
             "appium:udid":"00008110-000A1C2E0E91801E","appium:app":"/builds/Bank.ipa","appium:newCommandTimeout":120,
             "appium:processArguments":{"env":{"API_BASE":"https://api.example.com"}},"appium:wdaLocalPort":8101}
            """)));
    }

    [Fact]
    public void Vendor_blocks_keep_their_own_prefix()
    {
        var options = new AppiumOptions { PlatformName = "iOS", AutomationName = "XCUITest", DeviceName = "iPhone 15", App = "bs://c700ce60cf13ae8ed97705a55b8e022f13c5827c" };
        options.AddAppiumOption("bstack:options", new Dictionary<string, object>
        {
            ["osVersion"] = "17", ["projectName"] = "MstgTests", ["local"] = true, ["localIdentifier"] = "run-42",
        });
        var sent = SentCapabilities(options);
        sent.Select(p => p.Key).Should().BeEquivalentTo("platformName", "appium:automationName", "appium:deviceName", "appium:app", "bstack:options");
        sent["bstack:options"]!["localIdentifier"]!.GetValue<string>().Should().Be("run-42");
        sent["bstack:options"]!["local"]!.GetValue<bool>().Should().BeTrue();
    }

    [Theory]
    [InlineData("automationName", "appium:automationName")]
    [InlineData("sauce:options", "sauce:options")]
    [InlineData("lt:options", "lt:options")]
    [InlineData("goog:chromeOptions", "goog:chromeOptions")]
    public void Prefix_rule_matches_appiums_own(string name, string wire) => AppiumOptions.PrefixedName(name).Should().Be(wire);
}
