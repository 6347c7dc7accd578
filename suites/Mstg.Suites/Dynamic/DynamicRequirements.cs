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
[TestCaseOrderer(typeof(DynamicCaseOrder))]
public class DynamicRequirements(DynamicRun run, StaticScans scans)
{
    public const string Network1Title = "MSTG-NETWORK-1 dynamic: no cleartext traffic in passthrough";
    public const string Network2Title = "MSTG-NETWORK-2 dynamic: TLS settings";
    public const string Network3Title = "MSTG-NETWORK-3 dynamic: the endpoint's certificate is verified";
    public const string Network4Title = "MSTG-NETWORK-4 dynamic: pinning refuses a trusted interception CA";

    [Theory(DisplayName = Network1Title)]
    [MemberData(nameof(DynamicCases.Network1), MemberType = typeof(DynamicCases))]
    [MstgSuiteCheck("MSTG-NETWORK-1", CheckKind.Dynamic)]
    public Task Network1_no_cleartext(string target, string probe, string host) => DynamicCaseRunner.RunAsync(run, scans, target, probe, host);

    [Theory(DisplayName = Network2Title)]
    [MemberData(nameof(DynamicCases.Network2), MemberType = typeof(DynamicCases))]
    [MstgSuiteCheck("MSTG-NETWORK-2", CheckKind.Dynamic)]
    public Task Network2_tls_settings(string target, string probe, string host) => DynamicCaseRunner.RunAsync(run, scans, target, probe, host);

    [Theory(DisplayName = Network3Title)]
    [MemberData(nameof(DynamicCases.Network3), MemberType = typeof(DynamicCases))]
    [MstgSuiteCheck("MSTG-NETWORK-3", CheckKind.Dynamic)]
    public Task Network3_endpoint_identity(string target, string probe, string host) => DynamicCaseRunner.RunAsync(run, scans, target, probe, host);

    [Theory(DisplayName = Network4Title)]
    [MemberData(nameof(DynamicCases.Network4), MemberType = typeof(DynamicCases))]
    [MstgSuiteCheck("MSTG-NETWORK-4", CheckKind.Dynamic)]
    public Task Network4_pinning(string target, string probe, string host) => DynamicCaseRunner.RunAsync(run, scans, target, probe, host);
}
