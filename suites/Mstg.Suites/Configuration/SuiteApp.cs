using System.Security.Cryptography;
using Mstg.Bundles;
using Mstg.Plist;

namespace Mstg.Suites.Configuration;

/// <summary>
/// One configured app and who it is. Tests and reports name it by <see cref="Key"/> (its bundle identifier), never by
/// its path: the CI workspace and a versioned file name change from run to run, the bundle identifier does not, so test
/// names and Allure history stay the same.
/// </summary>
public sealed record SuiteApp(string Key, string Setting)
{
    public string? Path { get; init; }
    public string? BundleId { get; init; }
    public string? Version { get; init; }
    public string? Build { get; init; }
    public string? Sha256 { get; init; }
    /// <summary>Why the app could not be opened or identified; null when it could.</summary>
    public string? Error { get; init; }

    public string FileName => System.IO.Path.GetFileName((Path ?? Setting).TrimEnd('/', '\\'));

    /// <summary>One line for the console and the report: <c>com.example.app 1.2 (42), App.ipa, sha256 ab12…</c>.</summary>
    public string Describe() => Error is not null
        ? $"{Key}: cannot be read ({Error})"
        : $"{Key} {Version ?? "?"} ({Build ?? "?"}), {FileName}{(Sha256 is null ? "" : $", sha256 {Sha256[..16]}…")}";

    /// <summary>
    /// Resolves the setting (building a reference app when one is named) and reads the main bundle's identity from its
    /// Info.plist. Never throws: an app that cannot be opened comes back with <see cref="Error"/> and its file name as key.
    /// </summary>
    public static SuiteApp Identify(string setting)
    {
        string? path = null;
        try
        {
            path = SuiteSettings.Resolve(setting);
            using var package = AppPackageReader.Open(path);
            var main = package.Bundles.FirstOrDefault(b => b.Kind == BundleKind.App) ?? package.Bundles.FirstOrDefault();
            string? Str(string key) => (main?.Info?[key] as PlistString)?.Value;
            var bundleId = Str("CFBundleIdentifier");
            return new SuiteApp(bundleId ?? FileNameOf(path), setting)
            {
                Path = path, BundleId = bundleId, Version = Str("CFBundleShortVersionString"), Build = Str("CFBundleVersion"),
                Sha256 = File.Exists(path) ? Sha256Of(path) : null,
            };
        }
        catch (Exception e) when (e is MstgInputException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return new SuiteApp(FileNameOf(path ?? setting), setting) { Path = path, Error = e.Message };
        }
    }

    private static string FileNameOf(string path) => System.IO.Path.GetFileName(path.TrimEnd('/', '\\')) is { Length: > 0 } name ? name : path;

    private static string Sha256Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
