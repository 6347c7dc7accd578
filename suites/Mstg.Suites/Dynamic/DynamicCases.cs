using Mstg.Dynamic.Expectations;
using Mstg.Dynamic.Judging;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// The theory rows of the dynamic suite, generated from the probe table: one per row × first-party host, plus the
/// run-wide cleartext case (every host). With no first-party host configured, one row per probe that skips and says which
/// setting to fill; with no device configured, one row per requirement that skips and says so (a static-only run shows
/// four skipped dynamic tests, not one per probe and host).
/// </summary>
public static class DynamicCases
{
    public const string NoHostConfigured = "(no first-party host configured)";
    public const string NoDeviceConfigured = "(no device configured)";

    public static TheoryData<string, string> Network1 => For(DynamicExpectations.Network1, withAnyHost: true);
    public static TheoryData<string, string> Network2 => For(DynamicExpectations.Network2);
    public static TheoryData<string, string> Network3 => For(DynamicExpectations.Network3);
    public static TheoryData<string, string> Network4 => For(DynamicExpectations.Network4);

    private static TheoryData<string, string> For(string requirement, bool withAnyHost = false)
    {
        var data = new TheoryData<string, string>();
        if (!DynamicSettings.DriverConfigured)
        {
            data.Add(requirement, NoDeviceConfigured);
            return data;
        }
        var hosts = DynamicSettings.FirstPartyHosts;
        foreach (var probe in DynamicExpectations.For(requirement))
        {
            if (withAnyHost && probe.Kind == ProbeKind.NoCleartext) data.Add(probe.Id, DynamicJudge.AnyHost);
            foreach (var host in hosts.Count > 0 ? hosts : [NoHostConfigured]) data.Add(probe.Id, host);
        }
        return data;
    }
}
