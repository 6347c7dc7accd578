using Mstg.Dynamic.Expectations;
using Mstg.Fixtures;
using Mstg.Proxy.Certificates;

namespace Mstg.Dynamic.Tests;

/// <summary>The dynamic table covers every condition the proxy can present, and docs/dynamic.md lists every row.</summary>
public sealed class ExpectationsTableTests
{
    [Fact]
    public void Every_proxy_condition_is_probed_and_every_intercepting_one_must_be_refused_once()
    {
        DynamicExpectations.Conditions.Should().BeEquivalentTo(Enum.GetValues<CertificateCondition>());
        foreach (var condition in Enum.GetValues<CertificateCondition>().Where(c => c != CertificateCondition.Passthrough))
            DynamicExpectations.All.Should().ContainSingle(p => p.Condition == condition && p.Kind == ProbeKind.MustRefuse, condition.ToName());
        DynamicExpectations.All.Where(p => p.Condition == CertificateCondition.Passthrough).Select(p => p.Kind)
            .Should().BeEquivalentTo([ProbeKind.NoCleartext, ProbeKind.ModernClientHello]);
        DynamicExpectations.All.Select(p => p.Id).Should().OnlyHaveUniqueItems();
        DynamicExpectations.All.Where(p => p.Level == Profile.L2).Select(p => p.Requirement).Should().OnlyContain(r => r == "MSTG-NETWORK-4");
    }

    [Fact]
    public void The_table_agrees_with_the_proxys_condition_catalogue()
    {
        foreach (var d in ConditionCatalog.Conditions)
        {
            var probes = DynamicExpectations.All.Where(p => p.Condition == d.Condition).ToList();
            probes.Should().NotBeEmpty(d.Name);
            if (d.AtsClient == AtsClientExpectation.Observe)
            {
                probes.Should().OnlyContain(p => p.Kind != ProbeKind.MustRefuse, d.Name);
                continue;
            }
            var refusal = probes.Single(p => p.Kind == ProbeKind.MustRefuse);
            refusal.Requirement.Should().Be(d.Requirement, d.Name);
            // Refuse at every level where the catalogue says an ATS client must; only where pinning is required (L2) otherwise.
            refusal.Level.Should().Be(d.ClientMustRefuse(pinningRequired: false) ? Profile.L1 : Profile.L2, d.Name);
            RuleCatalog.Get(refusal.RuleId).Should().NotBeNull();
        }
    }

    [Fact]
    public void Docs_list_every_probe_with_its_condition_and_requirement()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docs", "dynamic.md"));
        foreach (var p in DynamicExpectations.All)
            doc.Should().Contain($"| `{p.Id}` | `{p.ConditionName}` | {p.Requirement} |", "docs/dynamic.md must list the probe table row for " + p.Id);
    }

    [Fact]
    public void Unknown_probe_id_names_the_known_ones()
    {
        var act = () => DynamicExpectations.Get("n9-nothing");
        act.Should().Throw<KeyNotFoundException>().WithMessage("*n9-nothing*n3-expired*");
    }
}
