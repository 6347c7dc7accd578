namespace Mstg.Suites.Configuration;

/// <summary>One setting's value and where it came from, as the start-of-run line prints it.</summary>
public sealed record SettingValue(string Name, string? Value, string Source)
{
    public bool IsSet => !string.IsNullOrWhiteSpace(Value);
    public override string ToString() => $"{Value ?? "(none)"} (from {Source})";
}

/// <summary>
/// What the suites run against, read from environment variables (the one channel that reaches the test process under
/// every runner). Precedence, highest first: <c>dotnet test -e NAME=value</c>, then the shell or CI environment
/// (<c>NAME</c>), then a runsettings file (<c>MSTG_DEFAULT_NAME</c> in <c>RunConfiguration/EnvironmentVariables</c>), then the
/// built-in default. Runsettings use their own <c>MSTG_DEFAULT_</c> names because VSTest copies a runsettings
/// variable over the process environment: with the same name the file would silently win over the shell.
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

    /// <summary>Set to 1 to let a run with no app pass (for example a job that only builds); otherwise it fails.</summary>
    public const string AllowNoAppVariable = "MSTG_ALLOW_NO_APP";

    /// <summary>The prefix a runsettings file puts before a setting's name (<c>MSTG_DEFAULT_APP</c>).</summary>
    public const string RunsettingsPrefix = "MSTG_DEFAULT_";

    /// <summary>Reads the process environment; tests of the precedence swap it.</summary>
    public static Func<string, string?> Variables { get; set; } = Environment.GetEnvironmentVariable;

    /// <summary>Looks a setting up in precedence order and says where the value came from.</summary>
    public static SettingValue Read(string name, string? defaultValue = null)
    {
        if (Variables(name) is { } direct && !string.IsNullOrWhiteSpace(direct))
            return new SettingValue(name, direct.Trim(), $"environment {name}");
        var runsettingsName = RunsettingsPrefix + name["MSTG_".Length..];
        if (Variables(runsettingsName) is { } fromFile && !string.IsNullOrWhiteSpace(fromFile))
            return new SettingValue(name, fromFile.Trim(), $"runsettings {runsettingsName}");
        return new SettingValue(name, defaultValue, "default");
    }

    public static SettingValue AppSetting => Read(AppVariable);
    public static SettingValue ProfileSetting => Read(ProfileVariable, "L1");
    public static SettingValue FirstPartySetting => Read(FirstPartyVariable);

    public static IReadOnlyList<string> Apps =>
        (AppSetting.Value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static Profile Profile =>
        ProfileSetting.Value?.ToUpperInvariant() switch
        {
            null or "" or "L1" => Profile.L1,
            "L2" => Profile.L2,
            var other => throw new InvalidOperationException($"{ProfileVariable} must be L1 or L2, not '{other}' ({ProfileSetting.Source})."),
        };

    /// <summary>The profile setting when it is L1 or L2; null with the reason otherwise (the run reports it once).</summary>
    public static string? ProfileProblem =>
        ProfileSetting.Value?.ToUpperInvariant() is null or "" or "L1" or "L2"
            ? null
            : $"{ProfileVariable} must be L1 or L2, not '{ProfileSetting.Value}' (from {ProfileSetting.Source}).";

    public static IReadOnlyList<string> FirstPartyDomains =>
        (FirstPartySetting.Value ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The attestation setting, or null when none is configured.</summary>
    public static string? Network5Attestation => Read(Network5AttestationVariable).Value;

    public static bool AllowNoApp => Flag(AllowNoAppVariable);

    /// <summary>An on/off setting: on for 1 or true (any common casing), off otherwise.</summary>
    public static bool Flag(string name) => Read(name).Value is "1" or "true" or "True" or "TRUE";

    /// <summary>The clock attestations are judged by (review dates in the future, expiry).</summary>
    public static TimeProvider Clock { get; } = TimeProvider.System;

    /// <summary>Turns an app setting into a path, building a reference app (with the clang toolchain) only when one is named.</summary>
    public static string Resolve(string app) => ReferenceAppSetting.IsReference(app) ? ReferenceAppSetting.Build(app) : app;
}
