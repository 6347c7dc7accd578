using Mstg.Devices.Appium;

[assembly: AssemblyFixture(typeof(Mstg.Devices.Tests.AppiumServerFixture))]

namespace Mstg.Devices.Tests;

/// <summary>One real Appium server (npm appium 3.8.0 with the chromium and fake drivers) for the whole assembly.</summary>
public sealed class AppiumServerFixture : IAsyncLifetime
{
    public AppiumServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await AppiumServer.StartAsync(Mstg.Fixtures.RepositoryLayout.Root);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
