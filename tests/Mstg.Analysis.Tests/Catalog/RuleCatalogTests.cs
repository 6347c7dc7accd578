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

    private static string[] RulesMd => File.ReadAllLines(Path.Combine(Mstg.Fixtures.RepositoryLayout.Docs, "rules.md"));

    /// <summary>
    /// The rows (cells) of the first table whose header starts with <paramref name="header"/>, at or after the heading
    /// <paramref name="section"/> (null: from the top of the file).
    /// </summary>
    internal static List<string[]> Table(string[] lines, string? section, string header) =>
        lines.SkipWhile(l => section is not null && !l.StartsWith(section, StringComparison.Ordinal))
            .SkipWhile(l => !l.StartsWith(header, StringComparison.Ordinal)).Skip(2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .ToList();

    /// <summary>Where docs/rules.md indexes the rules of each kind: the first table (static), then one section per other kind.</summary>
    public static TheoryData<CheckKind, string?> RuleTables => new()
    {
        { CheckKind.Static, null },
        { CheckKind.Dynamic, "## Dynamic rules" },
        { CheckKind.Server, "## Server rules" },
    };

    [Theory]
    [MemberData(nameof(RuleTables))]
    public void Docs_rules_md_documents_every_rule_of_each_kind_and_only_those(CheckKind kind, string? section)
    {
        var documented = Table(RulesMd, section, "| Rule |").Select(cells => cells[1]).ToList();
        documented.Should().OnlyHaveUniqueItems();
        documented.Should().BeEquivalentTo(RuleCatalog.OfKind(kind).Select(r => r.Id), "docs/rules.md {0} lists the {1} rules", section ?? "index", kind);
    }

    [Fact]
    public void Every_kind_has_rules_and_every_family_one_kind()
    {
        foreach (var kind in Enum.GetValues<CheckKind>()) RuleCatalog.OfKind(kind).Should().NotBeEmpty(kind.ToString());
        RuleCatalog.Get(RuleCatalog.AtsArbitraryLoads).Kind.Should().Be(CheckKind.Static);
        RuleCatalog.Get(RuleCatalog.DynAcceptsInvalidCert).Kind.Should().Be(CheckKind.Dynamic);
        RuleCatalog.Get(RuleCatalog.ServerTlsLegacyVersion).Kind.Should().Be(CheckKind.Server);
        // Correlations of the prober with the app's plist are server checks, whatever their id's prefix.
        RuleCatalog.Get(RuleCatalog.AtsExceptionUnnecessary).Kind.Should().Be(CheckKind.Server);
        RuleCatalog.Get(RuleCatalog.PinNoMatch).Kind.Should().Be(CheckKind.Server);
        foreach (var family in Enum.GetValues<RuleFamily>())
            RuleCatalog.Rules.Where(r => r.Family == family).Select(r => r.Kind).Distinct().Should().ContainSingle(family.ToString());
    }

    [Fact]
    public void Docs_rules_md_shows_every_requirement_a_rule_counts_under()
    {
        // MSTG column: the primary requirement, then "(also X, Y)" for the further ones, in catalogue order.
        var lines = RulesMd;
        var documented = new[] { (string?)null, "## Dynamic rules", "## Server rules" }
            .SelectMany(section => Table(lines, section, "| Rule |"))
            .ToDictionary(cells => cells[1], cells => cells[3]);
        foreach (var rule in RuleCatalog.Rules)
        {
            var expected = rule.AlsoCounts.Count == 0 ? rule.MstgId : $"{rule.MstgId} (also {string.Join(", ", rule.AlsoCounts)})";
            documented[rule.Id].Should().Be(expected, "docs/rules.md must show the requirements of {0}", rule.Id);
        }
    }

    // Which rules count under a second requirement, and why (docs/rules.md, "Rules counting under more than one requirement").
    public static TheoryData<string, string[]> Requirements => new()
    {
        // ATS switched off for some traffic: no TLS 1.2 floor and no forward-secrecy requirement either (Apple, NSAllowsArbitraryLoads*).
        { RuleCatalog.AtsArbitraryLoads, ["MSTG-NETWORK-1", "MSTG-NETWORK-2"] },
        { RuleCatalog.AtsArbitraryLoadsIgnored, ["MSTG-NETWORK-1", "MSTG-NETWORK-2"] },
        { RuleCatalog.AtsArbitraryLoadsWebContent, ["MSTG-NETWORK-1", "MSTG-NETWORK-2"] },
        { RuleCatalog.AtsArbitraryLoadsMedia, ["MSTG-NETWORK-1", "MSTG-NETWORK-2"] },
        { RuleCatalog.AtsLocalNetworking, ["MSTG-NETWORK-1", "MSTG-NETWORK-2"] },
        // No ATS at all: identity (its MASTG test), cleartext and TLS settings.
        { RuleCatalog.AtsDisabledOldSdk, ["MSTG-NETWORK-3", "MSTG-NETWORK-1", "MSTG-NETWORK-2"] },
        // Apple: NSExceptionAllowsInsecureHTTPLoads alone "doesn't change the TLS or forward secrecy requirements".
        { RuleCatalog.AtsDomainInsecureHttp, ["MSTG-NETWORK-1"] },
        // Weak TLS exceptions keep cleartext off: MSTG-NETWORK-2 only.
        { RuleCatalog.AtsDomainWeakTls, ["MSTG-NETWORK-2"] },
        { RuleCatalog.PinNone, ["MSTG-NETWORK-4"] },
        // An ATS exception the server does not need: it may allow cleartext and lower the TLS floor.
        { RuleCatalog.AtsExceptionUnnecessary, ["MSTG-NETWORK-1", "MSTG-NETWORK-2"] },
        // Proxy outcomes count where the condition points: weak TLS under -2, a bad certificate under -3, pinning under -4.
        { RuleCatalog.DynAcceptsWeakTls, ["MSTG-NETWORK-2"] },
        { RuleCatalog.DynAcceptsInvalidCert, ["MSTG-NETWORK-3"] },
        { RuleCatalog.DynNotPinned, ["MSTG-NETWORK-4"] },
    };

    [Theory]
    [MemberData(nameof(Requirements))]
    public void Rules_count_under_the_documented_requirements(string ruleId, string[] requirements)
    {
        var rule = RuleCatalog.Get(ruleId);
        rule.Requirements.Should().Equal(requirements);
        foreach (var n in Enumerable.Range(1, 6).Select(i => $"MSTG-NETWORK-{i}"))
            rule.CountsUnder(n).Should().Be(requirements.Contains(n), "{0} under {1}", ruleId, n);
    }

    [Fact]
    public void Further_requirements_are_well_formed_and_not_the_primary_one()
    {
        foreach (var rule in RuleCatalog.Rules)
        {
            rule.AlsoCounts.Should().OnlyHaveUniqueItems(rule.Id).And.NotContain(rule.MstgId, rule.Id);
            foreach (var requirement in rule.AlsoCounts) requirement.Should().MatchRegex("^MSTG-NETWORK-[1-6]$", rule.Id);
        }
    }

    [Fact]
    public void Unknown_rule_id_is_an_error()
    {
        var act = () => RuleCatalog.Get("NOPE");
        act.Should().Throw<KeyNotFoundException>().WithMessage("*NOPE*");
    }
}
