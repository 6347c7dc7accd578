using Mstg.Allure.Model;
using TestResult = Mstg.Allure.Model.TestResult;
using Mstg.Allure.Settings;
using Mstg.Allure.Xunit.Attributes;
using Mstg.Allure.Xunit.Mapping;

namespace Mstg.Allure.Tests.Unit;

public class SettingsAndMappingTests
{
    [Fact]
    public void Results_default_to_allure_results_under_the_assembly_folder()
    {
        var s = AllureSettings.FromEnvironment("/base/bin", _ => null);
        s.ResultsDirectory.Should().Be("/base/bin/allure-results");
        s.Clean.Should().BeTrue();
        s.PreviousReport.Should().BeNull();
    }

    [Fact]
    public void Environment_overrides_folder_cleaning_and_history()
    {
        var env = new Dictionary<string, string>
        {
            [AllureSettings.ResultsVariable] = "out/res", [AllureSettings.CleanVariable] = "false",
            [AllureSettings.KeepHistoryVariable] = "true",
        };
        var s = AllureSettings.FromEnvironment("/base", k => env.GetValueOrDefault(k));
        s.ResultsDirectory.Should().Be("/base/out/res");
        s.Clean.Should().BeFalse();
        s.PreviousReport.Should().Be("/base/out/allure-report");
    }

    [Fact]
    public void Traits_map_to_labels_and_links()
    {
        var result = new TestResult { Uuid = "u" };
        TraitMapping.Apply(new Dictionary<string, IReadOnlyCollection<string>>
        {
            ["Epic"] = ["MASVS-NETWORK-1"], ["allure_id"] = ["42"], ["Category"] = ["smoke"],
            ["issue"] = ["BUG-1|https://bugs.example/1"], ["link"] = ["https://example.com"],
        }, result);
        result.Labels.Should().Contain([new Label("epic", "MASVS-NETWORK-1"), new Label("ALLURE_ID", "42"), new Label("Category", "smoke")]);
        result.Links.Should().Contain([new Link("BUG-1", "https://bugs.example/1", LinkType.Issue), new Link("https://example.com", "https://example.com")]);
    }

    [Fact]
    public void Requirement_attribute_yields_epic_feature_story_severity_tags_and_links()
    {
        var traits = new MstgRequirementAttribute("MSTG-NETWORK-4", story: "MASTG-TEST-0068", severity: "critical", tags: "dynamic, L2")
            .GetTraits().Select(t => $"{t.Key}={t.Value}").ToList();
        traits.Should().Contain([
            "epic=MASVS-NETWORK-2", "feature=MSTG-NETWORK-4", "story=MASTG-TEST-0068", "severity=critical", "tag=dynamic", "tag=L2",
            "tms=MASTG-TEST-0068|https://mas.owasp.org/MASTG/tests/ios/MASVS-NETWORK/MASTG-TEST-0068/",
            "Requirement=MSTG-NETWORK-4", "Kind=dynamic", "Level=L2",
        ]);
        new MstgRequirementAttribute("MSTG-NETWORK-1", tags: "static,manual").GetTraits().Select(t => $"{t.Key}={t.Value}")
            .Should().Contain(["Kind=static", "Kind=manual", "Level=L1"]);
    }

    [Fact]
    public void Rule_attribute_takes_its_mapping_from_the_catalogue()
    {
        var rule = RuleCatalog.Get(RuleCatalog.AtsArbitraryLoads);
        var traits = new MstgRuleAttribute(RuleCatalog.AtsArbitraryLoads).GetTraits().Select(t => $"{t.Key}={t.Value}").ToList();
        traits.Should().Contain([$"feature={rule.MstgId}", $"epic={rule.MasvsId}", $"story={RuleCatalog.AtsArbitraryLoads}"]);
    }

    [Fact]
    public void Suite_check_traits_all_come_from_the_requirement_table()
    {
        var pinning = RequirementTable.Get("MSTG-NETWORK-4");
        var check = pinning.Checks.First();
        var traits = MstgRequirementAttribute.TraitsFor(pinning, check).Select(t => $"{t.Key}={t.Value}").ToList();
        traits.Should().Contain(["epic=MASVS-NETWORK-2", "feature=MSTG-NETWORK-4", $"story={check.Story}", "severity=critical",
            "tag=static", "tag=L2", "Requirement=MSTG-NETWORK-4", "Kind=static", "Level=L2", "link=MASVS-NETWORK-2|https://mas.owasp.org/MASVS/controls/MASVS-NETWORK-2/"]);
        var channels = RequirementTable.Get("MSTG-NETWORK-5");
        MstgRequirementAttribute.TraitsFor(channels, channels.Checks[0]).Select(t => $"{t.Key}={t.Value}")
            .Should().Contain(["Kind=manual", "Kind=static", "Level=L1", "severity=minor"]).And.NotContain("tag=L2");
    }

    [Fact]
    public void Masvs_for_reads_the_requirement_table()
    {
        foreach (var r in RequirementTable.Requirements) Mstg.Allure.Domain.MstgLinks.MasvsFor(r.MstgId).Should().Be(r.MasvsId);
        Mstg.Allure.Domain.MstgLinks.MasvsFor("mstg-network-4").Should().Be("MASVS-NETWORK-2");
        Mstg.Allure.Domain.MstgLinks.MasvsFor("MSTG-STORAGE-1").Should().BeNull();
    }
}
