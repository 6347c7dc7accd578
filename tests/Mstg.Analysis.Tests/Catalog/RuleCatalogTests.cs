namespace Mstg.Analysis.Tests.Catalog;

public class RuleCatalogTests
{
    [Fact]
    public void Rule_ids_are_unique_and_well_formed()
    {
        RuleCatalog.Rules.Select(r => r.Id).Should().OnlyHaveUniqueItems();
        foreach (var rule in RuleCatalog.Rules)
        {
            rule.Id.Should().MatchRegex("^[A-Z]+(-[A-Z0-9]+)+$");
            rule.MstgId.Should().MatchRegex("^MSTG-NETWORK-[1-6]$");
            rule.MasvsId.Should().MatchRegex("^MASVS-[A-Z]+-[0-9]$");
            rule.MastgTests.Where(t => !System.Text.RegularExpressions.Regex.IsMatch(t, "^MASTG-TEST-[0-9]{4}$")).Should().BeEmpty(rule.Id);
            rule.Rationale.Should().NotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public void Pinning_rules_map_to_masvs_network_2_and_the_rest_to_network_1()
    {
        foreach (var rule in RuleCatalog.Rules.Where(r => r.MstgId == "MSTG-NETWORK-4" && r.Id != RuleCatalog.BundleClientCertificate))
            rule.MasvsId.Should().Be("MASVS-NETWORK-2", rule.Id);
        // A bundled client identity is a stored private key: MASVS maps key storage to MASVS-CRYPTO-2 (docs/rules.md).
        RuleCatalog.Get(RuleCatalog.BundleClientCertificate).MasvsId.Should().Be("MASVS-CRYPTO-2");
        foreach (var rule in RuleCatalog.Rules.Where(r => r.MstgId is "MSTG-NETWORK-1" or "MSTG-NETWORK-2" or "MSTG-NETWORK-3" or "MSTG-NETWORK-6"))
            rule.MasvsId.Should().Be("MASVS-NETWORK-1", rule.Id);
    }

    [Fact]
    public void Docs_rules_md_documents_every_rule_and_only_those()
    {
        // The index is the first table of docs/rules.md: from its "| Rule |" header to the first line that is not a row.
        var lines = File.ReadAllLines(Path.Combine(Mstg.Fixtures.RepositoryLayout.Docs, "rules.md"));
        var documented = lines.SkipWhile(l => !l.StartsWith("| Rule |", StringComparison.Ordinal)).Skip(2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1])
            .ToList();
        documented.Should().OnlyHaveUniqueItems();
        documented.Should().BeEquivalentTo(RuleCatalog.Rules.Select(r => r.Id));
    }

    [Fact]
    public void Unknown_rule_id_is_an_error()
    {
        var act = () => RuleCatalog.Get("NOPE");
        act.Should().Throw<KeyNotFoundException>().WithMessage("*NOPE*");
    }
}
