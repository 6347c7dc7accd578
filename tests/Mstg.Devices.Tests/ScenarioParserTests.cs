using Mstg.Devices.Scenarios;

namespace Mstg.Devices.Tests;

public sealed class ScenarioParserTests
{
    [Fact]
    public void Every_action_and_locator_reads_with_the_line_it_starts_on()
    {
        var scenario = ScenarioParser.Parse("""
            {
              "$schema": "../docs/scenario.schema.json",
              "name": "sign in and refresh",
              // people write these by hand: comments and trailing commas are fine
              "steps": [
                { "action": "launch" },
                { "action": "waitFor", "accessibilityId": "sign-in", "timeoutSeconds": 20 },
                { "action": "type", "predicate": "type == 'XCUIElementTypeTextField'", "text": "alice" },
                { "action": "tap", "classChain": "**/XCUIElementTypeButton[`label == 'Sign in'`]" },
                { "action": "tap", "xpath": "//XCUIElementTypeButton[@name='Refresh']" },
                { "action": "waitFor", "css": "#balance" },
                { "action": "wait", "seconds": 1.5 },
                { "action": "openUrl", "url": "bank://accounts/42" },
                { "action": "terminate" },
              ],
            }
            """, "sign-in.json");

        scenario.Name.Should().Be("sign in and refresh");
        scenario.Steps.Select(s => (s.Action, s.Line)).Should().Equal(
            (StepAction.Launch, 6), (StepAction.WaitFor, 7), (StepAction.Type, 8), (StepAction.Tap, 9), (StepAction.Tap, 10),
            (StepAction.WaitFor, 11), (StepAction.Wait, 12), (StepAction.OpenUrl, 13), (StepAction.Terminate, 14));
        scenario.Steps.Where(s => s.Target is not null).Select(s => s.Target!.Strategy).Should().Equal(
            "accessibility id", "-ios predicate string", "-ios class chain", "xpath", "css selector");
        scenario.Steps[1].Timeout.Should().Be(TimeSpan.FromSeconds(20));
        scenario.Steps[5].Timeout.Should().Be(TimeSpan.FromSeconds(10), "waitFor defaults to 10 s");
        scenario.Steps[6].Timeout.Should().Be(TimeSpan.FromSeconds(1.5));
        scenario.Steps[7].Url.Should().Be("bank://accounts/42");
    }

    [Theory]
    // Broken JSON: the reader's own position (0-based) comes out 1-based.
    [InlineData("{\n  \"name\": \"x\",\n  \"steps\": [\n    { \"action\": \"launch\" \n    { \"action\": \"tap\" }\n  ]\n}", 5, "not valid JSON")]
    [InlineData("{\n  \"name\": \"x\",\n  \"steps\": [\n    { \"action\": \"launch\" },\n    { \"action\": \"swipe\" }\n  ]\n}", 5, "unknown action \"swipe\"")]
    [InlineData("{\n  \"steps\": [\n    { \"action\": \"tap\" }\n  ]\n}", 3, "needs exactly one of")]
    [InlineData("{\n  \"steps\": [\n    { \"action\": \"tap\", \"xpath\": \"//a\", \"css\": \"a\" }\n  ]\n}", 3, "found 2")]
    [InlineData("{\n  \"steps\": [\n    { \"action\": \"type\", \"id\": \"user\" }\n  ]\n}", 3, "needs \"text\"")]
    [InlineData("{\n  \"steps\": [\n\n    { \"action\": \"wait\", \"seconds\": -1 }\n  ]\n}", 4, "between 0 and 600")]
    [InlineData("{\n  \"steps\": [\n    { \"action\": \"openUrl\", \"url\": \"not a url\" }\n  ]\n}", 3, "absolute \"url\"")]
    [InlineData("{\n  \"steps\": [\n    { \"action\": \"launch\", \"acessibilityId\": \"typo\" }\n  ]\n}", 3, "unknown step field \"acessibilityId\"")]
    [InlineData("{\n  \"name\": \"x\",\n  \"stpes\": []\n}", 3, "unknown property \"stpes\"")]
    [InlineData("{ \"name\": \"x\" }", 1, "has no \"steps\"")]
    [InlineData("[]", 1, "JSON object")]
    public void A_scenario_that_does_not_parse_names_file_and_line(string json, int line, string problem)
    {
        var parse = () => ScenarioParser.Parse(json, "scenarios/bad.json");
        var error = parse.Should().Throw<ScenarioFormatException>().Which;
        error.Line.Should().Be(line, error.Message);
        error.Message.Should().StartWith($"scenarios/bad.json:{line}: ").And.Contain(problem);
    }

    [Fact]
    public void A_missing_file_is_a_scenario_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "mstg-no-such-scenario.json");
        var load = () => ScenarioParser.Load(path);
        load.Should().Throw<ScenarioFormatException>().Which.Message.Should().Contain(path).And.Contain("does not exist");
    }

    [Fact]
    public void The_published_example_parses()
    {
        var example = Path.Combine(Mstg.Fixtures.RepositoryLayout.Root, "docs", "scenarios", "reference-bank.json");
        ScenarioParser.Load(example).Steps.Should().NotBeEmpty();
    }
}

public sealed class ScenarioSchemaTests
{
    [Fact]
    public void Schema_lists_the_actions_and_locators_the_parser_reads()
    {
        using var schema = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Mstg.Fixtures.RepositoryLayout.Root, "docs", "scenario.schema.json")));
        var step = schema.RootElement.GetProperty("$defs").GetProperty("step").GetProperty("properties");
        step.GetProperty("action").GetProperty("enum").EnumerateArray().Select(a => a.GetString()).Should().BeEquivalentTo(ScenarioParser.ActionNames);
        schema.RootElement.GetProperty("$defs").GetProperty("locator").EnumerateObject().Where(p => p.Name != "description").Select(p => p.Name)
            .Should().BeEquivalentTo(ScenarioParser.LocatorNames);
        foreach (var locator in ScenarioParser.LocatorNames) step.TryGetProperty(locator, out _).Should().BeTrue(locator);
    }
}
