using Mstg.Devices.Scenarios;
using OpenQA.Selenium;

namespace Mstg.Devices.Appium;

/// <summary>
/// Scenario steps on a WebDriver session: element steps through <see cref="AppiumBy"/>, evidence through the session.
/// Launch, terminate and deep links differ per platform and are given by the driver that owns the session.
/// </summary>
internal sealed class WebDriverScenarioTarget(
    Func<IWebDriver> session,
    Func<CancellationToken, Task> launch,
    Func<CancellationToken, Task> terminate,
    Func<Uri, CancellationToken, Task> openUrl) : IScenarioTarget
{
    public Task LaunchAsync(CancellationToken ct) => launch(ct);
    public Task TerminateAsync(CancellationToken ct) => terminate(ct);
    public Task OpenUrlAsync(Uri url, CancellationToken ct) => openUrl(url, ct);

    public Task TapAsync(Locator target, CancellationToken ct)
    {
        session().FindElement(AppiumBy.From(target)).Click();
        return Task.CompletedTask;
    }

    public Task TypeAsync(Locator target, string text, CancellationToken ct)
    {
        session().FindElement(AppiumBy.From(target)).SendKeys(text);
        return Task.CompletedTask;
    }

    public Task<bool> IsPresentAsync(Locator target, CancellationToken ct) =>
        Task.FromResult(session().FindElements(AppiumBy.From(target)).Count > 0);

    public Task<byte[]?> ScreenshotAsync(CancellationToken ct) =>
        Task.FromResult<byte[]?>(((ITakesScreenshot)session()).GetScreenshot().AsByteArray);

    public Task<string?> PageSourceAsync(CancellationToken ct) => Task.FromResult<string?>(session().PageSource);
}
