using Mstg.Devices.Appium;
using OpenQA.Selenium;
using OpenQA.Selenium.Remote;

namespace Mstg.Devices.Tests;

/// <summary>
/// NOT an iOS run: Appium's fake driver (@appium/fake-driver) stands in for XCUITest, which needs a Mac. It proves the
/// command path the iOS driver uses (session, element lookup, page source, screenshot, execute methods, errors)
/// against a real Appium server.
/// </summary>
public sealed class FakeDriverSessionTests(AppiumServerFixture appium)
{
    private RemoteWebDriver Session()
    {
        var options = new AppiumOptions { PlatformName = "Fake", AutomationName = "Fake", DeviceName = "Fake", App = Path.Combine(AppContext.BaseDirectory, "Assets", "fake-bank.xml") };
        return new RemoteWebDriver(appium.Server.Url, options.ToCapabilities(), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Fake_driver_not_iOS_session_finds_elements_reads_page_source_and_screenshots()
    {
        using var driver = Session();
        driver.FindElement(By.XPath("//MockInputField[@id='user']")).SendKeys("alice");
        driver.FindElement(By.XPath("//MockButton[@id='sign-in']")).Click();
        driver.SwitchTo().Alert().Text.Should().Be("Signed in over HTTPS");
        driver.SwitchTo().Alert().Accept();
        driver.PageSource.Should().Contain("sign-in");
        var png = driver.GetScreenshot().AsByteArray;
        png.Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
    }

    [Fact]
    public void Fake_driver_not_iOS_unsupported_mobile_command_is_an_environment_error_naming_the_method()
    {
        using var driver = Session();
        var mobile = new MobileCommands(driver, "fake");
        var launch = () => mobile.LaunchApp("org.example.bank");
        var error = launch.Should().Throw<DeviceEnvironmentException>().Which;
        error.Message.Should().Contain("mobile: launchApp").And.Contain("fake driver");
    }

    [Fact]
    public void Fake_driver_not_iOS_execute_methods_reach_the_driver_with_their_arguments()
    {
        // fake: addition is the fake driver's own execute method; it shows arguments arrive as XCUITest's mobile: ones would.
        using var driver = Session();
        driver.ExecuteScript("fake: addition", new Dictionary<string, object> { ["num1"] = 2, ["num2"] = 3 }).Should().Be(5L);
    }
}
