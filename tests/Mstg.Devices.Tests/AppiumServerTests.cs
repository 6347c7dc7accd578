using Mstg.Devices.Appium;

namespace Mstg.Devices.Tests;

public sealed class AppiumServerTests(AppiumServerFixture appium)
{
    [Fact]
    public async Task Missing_npm_install_is_an_environment_error_that_says_what_to_run()
    {
        var empty = Directory.CreateTempSubdirectory("mstg-no-appium-").FullName;
        var start = () => AppiumServer.StartAsync(empty);
        var error = (await start.Should().ThrowAsync<DeviceEnvironmentException>()).Which;
        error.Message.Should().Contain("npm ci").And.Contain(empty);
    }

    [Fact]
    public async Task Unreachable_server_url_is_an_environment_error_naming_the_url()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop(); // nothing listens there now
        var connect = () => AppiumServer.ConnectAsync(new Uri($"http://127.0.0.1:{port}/"), TimeSpan.FromSeconds(2));
        var error = (await connect.Should().ThrowAsync<DeviceEnvironmentException>()).Which;
        error.Message.Should().Contain($"127.0.0.1:{port}").And.Contain("not ready");
    }

    [Fact]
    public async Task Running_server_reports_both_drivers()
    {
        using var http = new HttpClient();
        var status = await http.GetStringAsync(new Uri(appium.Server.Url, "status"), TestContext.Current.CancellationToken);
        status.Should().Contain("\"ready\":true");
        appium.Server.StartupLog.Should().Contain("chromium@3.1.1").And.Contain("fake@6.2.4");
    }
}
