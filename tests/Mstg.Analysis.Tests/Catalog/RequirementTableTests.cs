namespace Mstg.Analysis.Tests.Catalog;

/// <summary>The requirement table: complete, consistent with the rule catalogue, and documented in docs/rules.md.</summary>
public class RequirementTableTests
{
    private static string[] RulesMd => File.ReadAllLines(Path.Combine(Mstg.Fixtures.RepositoryLayout.Docs, "rules.md"));

    [Fact]
    public void Table_has_the_six_network_requirements_and_pinning_alone_is_L2_under_masvs_network_2()
    {
        RequirementTable.Requirements.Select(r => r.MstgId).Should().Equal(Enumerable.Range(1, 6).Select(i => $"MSTG-NETWORK-{i}"));
        foreach (var r in RequirementTable.Requirements)
        {
            var pinning = r.MstgId == RequirementTable.Network4;
            r.Level.Should().Be(pinning ? Profile.L2 : Profile.L1, r.MstgId);
            r.MasvsId.Should().Be(pinning ? "MASVS-NETWORK-2" : "MASVS-NETWORK-1", r.MstgId);
            r.Suite.Should().Be($"{r.MstgId} {r.Name}");
            r.Link.Should().Be($"https://mas.owasp.org/MASVS/controls/{r.MasvsId}/");
            r.Checks.Should().NotBeEmpty(r.MstgId);
        }
        RequirementTable.Requirements.Select(r => r.Category.Tag).Should().OnlyHaveUniqueItems();
        RequirementTable.Categories.Should().BeEquivalentTo(RequirementTable.Requirements.Select(r => r.Category));
    }

    [Fact]
    public void Every_static_rule_family_under_a_requirement_has_exactly_one_suite_check()
    {
        // Otherwise a rule's verdict would never reach a suite test (or reach two).
        var fromRules = RuleCatalog.OfKind(CheckKind.Static).SelectMany(r => r.Requirements.Select(n => $"{n}/{r.Family}")).Distinct();
        var checks = RequirementTable.Requirements.SelectMany(r => r.Checks.Where(c => c.Kind == CheckKind.Static).Select(c => $"{r.MstgId}/{c.Family}")).ToList();
        checks.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(fromRules);
        foreach (var r in RequirementTable.Requirements)
            foreach (var c in r.Checks) c.Family.Kind().Should().Be(c.Kind, "{0} {1}", r.MstgId, c.Title);
    }

    [Fact]
    public void Rules_and_requirements_agree_on_masvs_except_the_documented_exceptions()
    {
        // Two static rules sit under a network requirement but serve another MASVS control (docs/rules.md).
        string[] exceptions = [RuleCatalog.BundleClientCertificate, RuleCatalog.ChannelSmsEmail];
        foreach (var rule in RuleCatalog.Rules.Where(r => !exceptions.Contains(r.Id)))
            rule.MasvsId.Should().Be(RequirementTable.Get(rule.MstgId).MasvsId, rule.Id);
        RequirementTable.Get(RequirementTable.Network4).Rules.Should().Contain(r => r.Id == RuleCatalog.DynNotPinned)
            .And.Contain(r => r.Id == RuleCatalog.PinNoMatch);
    }

    [Fact]
    public void Docs_rules_md_requirements_table_matches_the_table()
    {
        var rows = RuleCatalogTests.Table(RulesMd, "## Requirements", "| Requirement | MASVS |");
        rows.Select(c => c[1]).Should().Equal(RequirementTable.Requirements.Select(r => r.MstgId));
        foreach (var r in RequirementTable.Requirements)
        {
            var cells = rows.Single(c => c[1] == r.MstgId);
            string[] expected =
            [
                r.MasvsId, r.LevelName, r.Severity.ToString().ToLowerInvariant(), r.Category.Tag,
                r.MastgTests.Count == 0 ? "—" : string.Join(", ", r.MastgTests), r.Name, r.Title,
            ];
            cells[2..9].Should().Equal(expected, "docs/rules.md must show {0} as the table has it", r.MstgId);
        }
    }

    [Fact]
    public void Docs_rules_md_suite_checks_table_matches_the_table()
    {
        var rows = RuleCatalogTests.Table(RulesMd, "## Requirements", "| Requirement | Kind |");
        var expected = RequirementTable.Requirements.SelectMany(r => r.Checks.Select(c => new[]
        {
            r.MstgId, c.Kind.Name(), c.Family.ToString(), c.Title, c.Story, c.Severity.ToString().ToLowerInvariant(),
        })).ToList();
        rows.Select(c => string.Join(" | ", c[1..7])).Should().Equal(expected.Select(e => string.Join(" | ", e)));
    }

    [Fact]
    public void Unknown_requirement_is_an_error_and_lookups_ignore_case()
    {
        RequirementTable.Get("mstg-network-4").MstgId.Should().Be("MSTG-NETWORK-4");
        var act = () => RequirementTable.Get("MSTG-NETWORK-7");
        act.Should().Throw<KeyNotFoundException>().WithMessage("*MSTG-NETWORK-7*");
        RequirementTable.TryGet("MSTG-STORAGE-1", out _).Should().BeFalse();
    }
}
