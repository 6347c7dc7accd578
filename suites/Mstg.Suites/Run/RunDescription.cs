using Mstg.Suites.Configuration;
using Mstg.Suites.Static;

namespace Mstg.Suites.Run;

/// <summary>
/// What this run tests and where each setting came from: printed as the first lines of the run, shown by the
/// "Run configuration" test, and written to the Allure environment panel.
/// </summary>
public static class RunDescription
{
    /// <summary>The configuration problem that leaves nothing to test, or null when the apps are there and readable.</summary>
    public static string? Problem
    {
        get
        {
            if (SuiteSettings.ProfileProblem is { } profile) return profile;
            if (Waivers.SuiteWaivers.Problem is { } waivers) return waivers;
            if (SuiteApps.All.Count == 0)
                return SuiteSettings.AllowNoApp
                    ? null
                    : $"Nothing to test: no app configured. Set {SuiteSettings.AppVariable} (dotnet test -e, the shell or CI) or " +
                      $"{SuiteSettings.RunsettingsPrefix}APP in a runsettings file; {SuiteSettings.AllowNoAppVariable}=1 allows a run that tests nothing.";
            var unreadable = SuiteApps.All.Where(a => a.Error is not null).ToList();
            return unreadable.Count == 0
                ? null
                : "Nothing was tested: " + string.Join("; ", unreadable.Select(a => $"the app cannot be read: {a.Error}"));
        }
    }

    /// <summary>The first line of the run: <c>MSTG run: app …; profile L2 (from …); filter …</c>.</summary>
    public static string Line(string? filter)
    {
        var app = SuiteSettings.AppSetting;
        var apps = SuiteApps.All.Count == 0 ? "none" : string.Join(", ", SuiteApps.All.Select(a => a.Describe()));
        var profile = SuiteSettings.ProfileSetting;
        var levels = SuiteSettings.ProfileProblem is null && SuiteSettings.Profile == Profile.L2 ? "L1 and L2" : "L1";
        return $"MSTG run: app {apps} (from {app.Source}); profile {profile.Value} (from {profile.Source}), " +
               $"requirements of level {levels}; device {RunDeviceSetting.Resolve()}; filter {filter ?? "none"}" +
               (Waivers.SuiteWaivers.Describe() is { } waivers ? $"; waivers {waivers} (from {Waivers.SuiteWaivers.Setting.Source})" : "");
    }

    /// <summary>The Allure environment panel: the app by bundle id with version, build, file and hash, and the settings.</summary>
    public static IEnumerable<KeyValuePair<string, string>> EnvironmentEntries()
    {
        var apps = SuiteApps.All;
        yield return new("app", apps.Count == 0 ? "none" : string.Join(", ", apps.Select(a => a.Key)));
        foreach (var a in apps)
        {
            var prefix = apps.Count == 1 ? "" : a.Key + " ";
            if (a.Error is not null)
            {
                yield return new(prefix + "error", a.Error);
                continue;
            }
            yield return new(prefix + "bundle id", a.BundleId ?? "(none)");
            yield return new(prefix + "version", a.Version ?? "(none)");
            yield return new(prefix + "build", a.Build ?? "(none)");
            yield return new(prefix + "file", a.FileName);
            if (a.Sha256 is not null) yield return new(prefix + "sha256", a.Sha256);
        }
        yield return new("app setting", $"{SuiteSettings.AppSetting}");
        yield return new("profile", $"{SuiteSettings.ProfileSetting}");
        yield return new("device", $"{RunDeviceSetting.Resolve()}");
        if (SuiteSettings.FirstPartySetting.IsSet) yield return new("first-party domains", $"{SuiteSettings.FirstPartySetting}");
        if (Waivers.SuiteWaivers.Describe() is { } waivers) yield return new("waivers", $"{waivers} (from {Waivers.SuiteWaivers.Setting.Source})");
    }

    /// <summary>The report title: the app, not the tool (<c>com.example.app 1.2 (42), MSTG L2</c>).</summary>
    public static string Title() =>
        (SuiteApps.All.Count == 0 ? "no app" : string.Join(", ", SuiteApps.All.Select(a => a.Error is null ? $"{a.Key} {a.Version} ({a.Build})" : a.Key)))
        + $", MSTG {SuiteSettings.ProfileSetting.Value}";
}
