namespace Mstg.Devices.Scenarios;

/// <summary>
/// What a scenario step can ask of the thing being driven. A target that cannot do an action (a command-line client has
/// no elements to tap) throws <see cref="NotSupportedException"/>, which fails that step with the reason.
/// </summary>
public interface IScenarioTarget
{
    Task LaunchAsync(CancellationToken ct);
    Task TerminateAsync(CancellationToken ct);
    Task OpenUrlAsync(Uri url, CancellationToken ct);
    Task TapAsync(Locator target, CancellationToken ct);
    Task TypeAsync(Locator target, string text, CancellationToken ct);
    /// <summary>True when at least one element matches now; no implicit wait.</summary>
    Task<bool> IsPresentAsync(Locator target, CancellationToken ct);
    Task<byte[]?> ScreenshotAsync(CancellationToken ct);
    Task<string?> PageSourceAsync(CancellationToken ct);
}
