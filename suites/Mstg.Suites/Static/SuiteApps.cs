using Mstg.Suites.Configuration;

namespace Mstg.Suites.Static;

/// <summary>Theory data: one row per configured app, or a single row that skips when none is configured.</summary>
public static class SuiteApps
{
    public const string NotConfigured = "(no app configured)";

    public static TheoryData<string> Apps
    {
        get
        {
            var apps = SuiteSettings.Apps;
            return new TheoryData<string>(apps.Count == 0 ? [NotConfigured] : apps);
        }
    }
}
