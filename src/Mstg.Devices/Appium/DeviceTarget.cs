namespace Mstg.Devices.Appium;

/// <summary>
/// Where and how to open an Appium session: the hub, the W3C capabilities, the app's bundle id (for launch and
/// terminate), and the credential variables a farm needs (named in errors). <see cref="Secrets"/> are the values read
/// from those variables, kept only to scrub them from messages; <see cref="ToString"/> never shows them or the options.
/// </summary>
public sealed record DeviceTarget(string Name, Uri Hub, AppiumOptions Options, string? BundleId, IReadOnlyList<string> CredentialVariables)
{
    internal IReadOnlyList<string> Secrets { get; init; } = [];

    public override string ToString() => $"{Name} at {Hub.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)}";
}
