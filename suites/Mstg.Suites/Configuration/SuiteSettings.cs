using Mstg.Fixtures.ReferenceApps;

namespace Mstg.Suites.Configuration;

/// <summary>
/// What the suites run against, read from environment variables so that a runsettings profile
/// (<c>RunConfiguration/EnvironmentVariables</c>), a CI job or a shell can set them alike.
/// </summary>
public static class SuiteSettings
{
    /// <summary>
    /// One or more apps separated by ';': a path to an .ipa, .app folder or Info.plist, or
    /// <c>reference:InsecureBank</c> / <c>reference:SecureBank</c> for the embedded reference targets.
    /// </summary>
    public const string AppVariable = "MSTG_APP";
    public const string ProfileVariable = "MSTG_PROFILE";
    public const string FirstPartyVariable = "MSTG_FIRST_PARTY_DOMAINS";

    /// <summary>The MSTG-NETWORK-5 review attestation: a JSON file path or inline JSON (docs/attestations.md).</summary>
    public const string Network5AttestationVariable = "MSTG_NETWORK5_ATTESTATION";

    public static IReadOnlyList<string> Apps =>
        (Environment.GetEnvironmentVariable(AppVariable) ?? "")
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static Profile Profile =>
        Environment.GetEnvironmentVariable(ProfileVariable)?.Trim().ToUpperInvariant() switch
        {
            null or "" or "L1" => Profile.L1,
            "L2" => Profile.L2,
            var other => throw new InvalidOperationException($"{ProfileVariable} must be L1 or L2, not '{other}'."),
        };

    public static IReadOnlyList<string> FirstPartyDomains =>
        (Environment.GetEnvironmentVariable(FirstPartyVariable) ?? "")
        .Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The attestation setting, or null when none is configured.</summary>
    public static string? Network5Attestation =>
        Environment.GetEnvironmentVariable(Network5AttestationVariable) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The clock attestations are judged by (review dates in the future, expiry).</summary>
    public static TimeProvider Clock { get; } = TimeProvider.System;

    /// <summary>Turns an app setting into a path, building a reference app when one is named.</summary>
    public static string Resolve(string app) => ReferenceAppCatalog.ResolveAppPath(app);
}
