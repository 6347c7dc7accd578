using Mstg.Suites.Configuration;
using Mstg.Suites.Static;

namespace Mstg.Suites.Run;

/// <summary>
/// The tested app's identity as traits (<c>AppBundleId</c>, <c>AppVersion</c>, <c>AppBuild</c>, <c>AppSha256</c>), so CI
/// formats that carry traits name the exact build a verdict is about: <c>dotnet test --logger junit</c> writes them as
/// each testcase's &lt;properties&gt; (the xUnit XML as &lt;trait&gt;s, Allure as labels). The TRX logger of the .NET SDK
/// drops traits; TRX gets the same identity from each static test's output (<c>App: …</c> and <c>App file sha256: …</c>)
/// and from the "Run configuration" test's output.
/// </summary>
public static class AppIdentityTraits
{
    public const string BundleId = "AppBundleId", Version = "AppVersion", Build = "AppBuild", Sha256 = "AppSha256";

    /// <summary>The traits of one app; none for an app that could not be read (its error is the run's problem).</summary>
    public static IEnumerable<KeyValuePair<string, string>> For(SuiteApp? app, string prefix = "")
    {
        if (app is null || app.Error is not null) yield break;
        if (app.BundleId is { } id) yield return new(BundleId, prefix + id);
        if (app.Version is { } version) yield return new(Version, prefix + version);
        if (app.Build is { } build) yield return new(Build, prefix + build);
        if (app.Sha256 is { } sha) yield return new(Sha256, prefix + sha);
    }

    /// <summary>Every configured app's traits, for tests that are not about one app; with several apps each value starts with the app's key.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ForAll() =>
        SuiteApps.All.SelectMany(a => For(a, SuiteApps.All.Count == 1 ? "" : a.Key + ": "));
}

/// <summary>Puts <see cref="AppIdentityTraits.ForAll"/> on every test of a class whose tests are not one app's rows (run configuration, dynamic, server).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AppIdentityAttribute : Attribute, Xunit.v3.ITraitAttribute
{
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => AppIdentityTraits.ForAll().ToList();
}
