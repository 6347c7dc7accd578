using Mstg.Allure.Xunit.Attributes;
using Mstg.Suites.Static;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// The dynamic cases, one theory per requirement so each carries its traits (Requirement, Kind=dynamic, Level, MASVS,
/// MASTG, severity: read from the dynamic row of <see cref="RequirementTable"/>); rows are probe × first-party host from
/// the probe table (docs/dynamic.md). The run's proxy and app are the
/// assembly fixture <see cref="DynamicRun"/>; the static scans (for the ATS cross-check) the assembly fixture
/// <see cref="StaticScans"/>.
/// </summary>
[Trait("parentSuite", "Dynamic analysis")]
[Trait("suite", "MSTG-NETWORK dynamic")]
[Run.AppIdentity]
public class DynamicRequirements(DynamicRun run, StaticScans scans)
{
    [Theory(DisplayName = "MSTG-NETWORK-1 dynamic: no cleartext traffic in passthrough")]
    [MemberData(nameof(DynamicCases.Network1), MemberType = typeof(DynamicCases))]
    [MstgSuiteCheck("MSTG-NETWORK-1", CheckKind.Dynamic)]
    public Task Network1_no_cleartext(string probe, string host) => DynamicCaseRunner.RunAsync(run, scans, probe, host);

    [Theory(DisplayName = "MSTG-NETWORK-2 dynamic: TLS settings")]
    [MemberData(nameof(DynamicCases.Network2), MemberType = typeof(DynamicCases))]
    [MstgSuiteCheck("MSTG-NETWORK-2", CheckKind.Dynamic)]
    public Task Network2_tls_settings(string probe, string host) => DynamicCaseRunner.RunAsync(run, scans, probe, host);

    [Theory(DisplayName = "MSTG-NETWORK-3 dynamic: the endpoint's certificate is verified")]
    [MemberData(nameof(DynamicCases.Network3), MemberType = typeof(DynamicCases))]
    [MstgSuiteCheck("MSTG-NETWORK-3", CheckKind.Dynamic)]
    public Task Network3_endpoint_identity(string probe, string host) => DynamicCaseRunner.RunAsync(run, scans, probe, host);

    [Theory(DisplayName = "MSTG-NETWORK-4 dynamic: pinning refuses a trusted interception CA")]
    [MemberData(nameof(DynamicCases.Network4), MemberType = typeof(DynamicCases))]
    [MstgSuiteCheck("MSTG-NETWORK-4", CheckKind.Dynamic)]
    public Task Network4_pinning(string probe, string host) => DynamicCaseRunner.RunAsync(run, scans, probe, host);
}
