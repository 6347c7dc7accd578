using Mstg.Dynamic.Expectations;
using Mstg.Dynamic.Judging;
using Mstg.Suites.Run;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// The theory rows of the dynamic suite, generated from the probe table: one per target × row × first-party host, plus the
/// run-wide cleartext case (every host). With no first-party host configured, one row per probe that skips and says which
/// setting to fill; with no device configured, one row per requirement that skips and says so (a static-only run shows
/// four skipped dynamic tests, not one per probe and host).
/// <para>
/// Every row carries its target as its first argument and as the <see cref="RunTable.TargetTrait"/> trait (the summary
/// table's column, <c>--filter Target=client-pinned</c>). With one target the display name is the one rows had before
/// there were several (probe and host only), so names and Allure history stay the same; with several it names the target.
/// </para>
/// </summary>
public static class DynamicCases
{
    public const string NoHostConfigured = "(no first-party host configured)";
    public const string NoDeviceConfigured = "(no device configured)";

    public static TheoryData<string, string, string> Network1 => For(DynamicExpectations.Network1, DynamicRequirements.Network1Title, withAnyHost: true);
    public static TheoryData<string, string, string> Network2 => For(DynamicExpectations.Network2, DynamicRequirements.Network2Title);
    public static TheoryData<string, string, string> Network3 => For(DynamicExpectations.Network3, DynamicRequirements.Network3Title);
    public static TheoryData<string, string, string> Network4 => For(DynamicExpectations.Network4, DynamicRequirements.Network4Title);

    private static TheoryData<string, string, string> For(string requirement, string title, bool withAnyHost = false)
    {
        var data = new TheoryData<string, string, string>();
        var targets = DynamicSettings.TargetNames;
        if (!DynamicSettings.DriverConfigured)
        {
            data.Add(Row(title, targets[0], requirement, NoDeviceConfigured, several: false));
            return data;
        }
        var hosts = DynamicSettings.FirstPartyHosts;
        foreach (var target in targets)
            foreach (var probe in DynamicExpectations.For(requirement))
            {
                if (withAnyHost && probe.Kind == ProbeKind.NoCleartext) data.Add(Row(title, target, probe.Id, DynamicJudge.AnyHost, targets.Count > 1));
                foreach (var host in hosts.Count > 0 ? hosts : [NoHostConfigured]) data.Add(Row(title, target, probe.Id, host, targets.Count > 1));
            }
        return data;
    }

    private static TheoryDataRow<string, string, string> Row(string title, string target, string probe, string host, bool several)
    {
        var row = new TheoryDataRow<string, string, string>(target, probe, host).WithTrait(RunTable.TargetTrait, target);
        if (several) return row;
        // One target: the display name without it, as xUnit formats the two other arguments; Label "" stops xUnit adding all three.
        row.WithTestDisplayName($"{title}(probe: \"{probe}\", host: \"{host}\")");
        row.Label = "";
        return row;
    }
}
