namespace Mstg.Analysis.Tests.Catalog;

public class RuleCatalogTests
{
    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MstgTests.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("MstgTests.sln not found above the test folder.");
        }
    }

    [Fact]
    public void Rule_ids_are_unique_and_well_formed()
    {
        RuleCatalog.Rules.Select(r => r.Id).Should().OnlyHaveUniqueItems();
        foreach (var rule in RuleCatalog.Rules)
        {
            rule.Id.Should().MatchRegex("^[A-Z]+(-[A-Z0-9]+)+$");
            rule.MstgId.Should().MatchRegex("^MSTG-NETWORK-[1-6]$");
            rule.MasvsId.Should().MatchRegex("^MASVS-[A-Z]+-[0-9]$");
            rule.MastgTests.Should().OnlyContain(t => System.Text.RegularExpressions.Regex.IsMatch(t, "^MASTG-TEST-[0-9]{4}$"));
            rule.Rationale.Should().NotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public void Pinning_rules_map_to_masvs_network_2_and_the_rest_to_network_1()
    {
        foreach (var rule in RuleCatalog.Rules.Where(r => r.MstgId == "MSTG-NETWORK-4"))
            rule.MasvsId.Should().Be("MASVS-NETWORK-2", rule.Id);
        foreach (var rule in RuleCatalog.Rules.Where(r => r.MstgId is "MSTG-NETWORK-1" or "MSTG-NETWORK-2" or "MSTG-NETWORK-3" or "MSTG-NETWORK-6"))
            rule.MasvsId.Should().Be("MASVS-NETWORK-1", rule.Id);
    }

    [Fact]
    public void Docs_rules_md_documents_every_rule_and_only_those()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot, "docs", "rules.md"));
        var documented = System.Text.RegularExpressions.Regex.Matches(doc, @"^\|\s*`?([A-Z]+(?:-[A-Z0-9]+)+)`?\s*\|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).Where(id => !id.StartsWith("MSTG-", StringComparison.Ordinal) && !id.StartsWith("MASVS-", StringComparison.Ordinal)).ToHashSet();
        documented.Should().BeEquivalentTo(RuleCatalog.Rules.Select(r => r.Id));
    }

    [Fact]
    public void Unknown_rule_id_is_an_error()
    {
        var act = () => RuleCatalog.Get("NOPE");
        act.Should().Throw<KeyNotFoundException>().WithMessage("*NOPE*");
    }
}
