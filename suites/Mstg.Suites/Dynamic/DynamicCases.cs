using Mstg.Dynamic.Expectations;
using Mstg.Dynamic.Judging;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// The theory rows of the dynamic suite, generated from the probe table: one per row × first-party host, plus the
/// run-wide cleartext case (every host). With no first-party host configured, one row per requirement that skips and
/// says which setting to fill.
/// </summary>
public static class DynamicCases
{
    public const string NoHostConfigured = "(no first-party host configured)";

    public static TheoryData<string, string> Network1 => For(DynamicExpectations.Network1, withAnyHost: true);
    public static TheoryData<string, string> Network2 => For(DynamicExpectations.Network2);
    public static TheoryData<string, string> Network3 => For(DynamicExpectations.Network3);
    public static TheoryData<string, string> Network4 => For(DynamicExpectations.Network4);

    private static TheoryData<string, string> For(string requirement, bool withAnyHost = false)
    {
        var hosts = DynamicSettings.FirstPartyHosts;
        var data = new TheoryData<string, string>();
        foreach (var probe in DynamicExpectations.For(requirement))
        {
            if (withAnyHost && probe.Kind == ProbeKind.NoCleartext) data.Add(probe.Id, DynamicJudge.AnyHost);
            foreach (var host in hosts.Count > 0 ? hosts : [NoHostConfigured]) data.Add(probe.Id, host);
        }
        return data;
    }
}
