namespace Mstg.Devices.Chromium;

/// <summary>
/// The local reference device: Debian's Chromium, driven through Appium's chromium driver, playing an app that opens
/// <see cref="StartUrl"/>. <see cref="HostRules"/> map reference host names to addresses when no proxy is used; every
/// other name fails to resolve, so Chromium itself never reaches beyond the machine. <see cref="TrustedRoots"/> are PEM
/// files put in the per-run NSS store (the reference root); the run's CA is added by <c>TrustCaAsync</c>.
/// </summary>
public sealed record ChromiumAppSettings(Uri StartUrl)
{
    public Uri? Proxy { get; init; }
    public IReadOnlyDictionary<string, string> HostRules { get; init; } = new Dictionary<string, string>();
    /// <summary>
    /// With a <see cref="Proxy"/>: the host names the app itself calls. Only these go to the proxy (a PAC script); every
    /// other name goes direct, where the host rules leave it unresolvable, so the browser's own background traffic
    /// (update checks over plain HTTP, sign-in, autofill) neither reaches the proxy's evidence as if the app had sent it
    /// nor leaves the machine. Empty: everything goes to the proxy (a user's web app, whose hosts are not known).
    /// </summary>
    public IReadOnlyList<string> ProxiedHosts { get; init; } = [];
    public IReadOnlyList<string> TrustedRoots { get; init; } = [];
    public string ChromiumPath { get; init; } = "/usr/bin/chromium";
    public string ChromedriverPath { get; init; } = "/usr/bin/chromedriver";
    /// <summary>Where the NSS store, profile and wrapper go; a fresh temporary folder when null.</summary>
    public string? WorkDirectory { get; init; }
    /// <summary>
    /// Starts Chromium with <c>--ignore-certificate-errors</c>: the browser's "proceed anyway" made permanent, so the app
    /// accepts any certificate. Only for reference apps that play an insecure client on purpose.
    /// </summary>
    public bool IgnoreCertificateErrors { get; init; }
}
