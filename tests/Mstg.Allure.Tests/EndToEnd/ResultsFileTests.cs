using System.Text.Json.Nodes;
using Mstg.Allure.Ids;
using Mstg.Allure.Writing;

namespace Mstg.Allure.Tests.EndToEnd;

[Collection(SampleRunCollection.Name)]
public class ResultsFileTests(SampleRun run)
{
    private static IEnumerable<string> Labels(JsonObject r, string name) =>
        r["labels"]!.AsArray().Where(l => (string?)l!["name"] == name).Select(l => (string)l!["value"]!);

    [Fact]
    public void Every_sample_test_has_one_result_with_its_status()
    {
        run.ExitCode.Should().NotBe(0, "the sample has deliberate failures");
        var expected = new Dictionary<string, string>
        {
            ["Passes"] = "passed", ["FailsOnAssertion"] = "failed", ["BreaksOnOtherException"] = "broken",
            ["SkippedStatically"] = "skipped", ["SkippedAtRunTime"] = "skipped", ["WritesOutput"] = "passed",
            ["TimesOut"] = "broken", ["RecordsStepsAndAttachments"] = "passed", ["FailingStepMarksStepFailed"] = "failed",
            ["OddAttachmentName"] = "passed", ["XunitAttachment"] = "passed", ["FirstUser"] = "passed",
            ["SecondUser"] = "passed", ["NeedsDevice"] = "broken", ["UsesSession"] = "passed", ["OnSharedSimulator"] = "passed",
            ["Seeded(host: \"example.net\", seed: 1001)"] = "passed",
            ["SeededNotExcluded(host: \"example.net\", seed: 1001)"] = "passed",
            ["UsesToken(token: \"s3cr3t\")"] = "passed",
            ["Connects(host: \"example.com\", port: 443, seed: 1111)"] = "passed",
            ["Connects(host: \"example.org\", port: 8443, seed: 2222)"] = "passed",
        };
        run.Results.Select(r => (string)r["name"]!).Should().BeEquivalentTo(expected.Keys, run.Output);
        foreach (var (name, status) in expected)
            ((string?)run.Result(name)["status"]).Should().Be(status, name);
        Directory.EnumerateFiles(run.ResultsDirectory, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public void Identity_fields_follow_the_documented_formulas()
    {
        var r = run.Result("Passes");
        var fullName = (string)r["fullName"]!;
        fullName.Should().Be("Mstg.Allure.SampleTests:Mstg.Allure.SampleTests.Outcomes.Passes()");
        ((string?)r["testCaseId"]).Should().Be(AllureIds.Md5Hex(fullName));
        ((string?)r["historyId"]).Should().Be(AllureIds.HistoryId(fullName, []));
        r["titlePath"]!.AsArray().Select(x => (string)x!).Should().Equal("Mstg.Allure.SampleTests", "Mstg", "Allure", "SampleTests", "Outcomes");
        ((long)r["stop"]!).Should().BeGreaterThanOrEqualTo((long)r["start"]!);
    }

    [Fact]
    public void Failures_carry_message_and_trace()
    {
        var failed = run.Result("FailsOnAssertion");
        ((string?)failed["statusDetails"]!["message"]).Should().StartWith("[cleartext] NSAllowsArbitraryLoads");
        ((string?)failed["statusDetails"]!["trace"]).Should().Contain("FailsOnAssertion");
        ((string?)run.Result("TimesOut")["statusDetails"]!["message"]).Should().Contain("timed out");
        ((string?)run.Result("SkippedStatically")["statusDetails"]!["message"]).Should().Be("needs a real device");
        ((string?)run.Result("NeedsDevice")["statusDetails"]!["message"]).Should().Contain("simulator is not available");
    }

    [Fact]
    public void Requirement_traits_and_defaults_become_labels()
    {
        var r = run.Result("Passes");
        Labels(r, "epic").Should().Equal("MASVS-NETWORK-1");
        Labels(r, "feature").Should().Equal("MSTG-NETWORK-1");
        Labels(r, "story").Should().Equal("MASTG-TEST-0322");
        Labels(r, "severity").Should().Equal("critical");
        Labels(r, "tag").Should().BeEquivalentTo("static", "L1");
        Labels(r, "language").Should().Equal("C#");
        Labels(r, "framework").Should().Equal("xUnit.net v3");
        Labels(r, "testClass").Should().Equal("Mstg.Allure.SampleTests.Outcomes");
        Labels(r, "testMethod").Should().Equal("Passes");
        Labels(r, "parentSuite").Should().Equal("Mstg.Allure.SampleTests");
        Labels(r, "subSuite").Should().Equal("Outcomes");
        Labels(r, "host").Should().ContainSingle();
        Labels(r, "thread").Should().ContainSingle();
        r["links"]!.AsArray().Select(l => (string)l!["url"]!).Should().Contain("https://mas.owasp.org/MASTG/tests/ios/MASVS-NETWORK/MASTG-TEST-0322/");
        var broken = run.Result("BreaksOnOtherException");
        Labels(broken, "owner").Should().Equal("network-team");
        Labels(broken, "Category").Should().Equal("smoke");
    }

    [Fact]
    public void Theory_arguments_become_parameters_with_the_seed_excluded_from_history()
    {
        var a = run.Result("Connects(host: \"example.com\", port: 443, seed: 1111)");
        var b = run.Result("Connects(host: \"example.org\", port: 8443, seed: 2222)");
        a["parameters"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Should().Be(
            "[{\"name\":\"host\",\"value\":\"\\\"example.com\\\"\",\"excluded\":false,\"mode\":\"default\"}," +
            "{\"name\":\"port\",\"value\":\"443\",\"excluded\":false,\"mode\":\"default\"}," +
            "{\"name\":\"seed\",\"value\":\"1111\",\"excluded\":true,\"mode\":\"default\"}]");
        ((string?)a["fullName"]).Should().Be((string?)b["fullName"]).And.EndWith("Connects(System.String,System.Int32,System.Int32)");
        ((string?)a["historyId"]).Should().NotBe((string?)b["historyId"]);
        ((string?)a["historyId"]).Should().Be(AllureIds.HistoryId((string)a["fullName"]!,
            [new("host", "\"example.com\""), new("port", "443"), new("seed", "9999", Excluded: true)]), "the seed must not count");
        ((string?)run.Result("UsesToken(token: \"s3cr3t\")")["parameters"]![0]!["mode"]).Should().Be("masked");
    }

    [Fact]
    public void Steps_nest_and_attachments_exist_on_disk_with_valid_names()
    {
        var r = run.Result("RecordsStepsAndAttachments");
        var outer = r["steps"]![0]!;
        ((string?)outer["name"]).Should().Be("outer step");
        ((string?)outer["parameters"]![0]!["value"]).Should().Be("\"api.example.com\"");
        ((string?)outer["attachments"]![0]!["name"]).Should().Be("plain note");
        var inner = outer["steps"]![0]!;
        ((string?)inner["name"]).Should().Be("inner async step");
        ((string?)inner["status"]).Should().Be("passed");
        ((string?)inner["attachments"]![0]!["type"]).Should().Be("application/json");
        r["attachments"]!.AsArray().Select(a => (string)a!["name"]!).Should().Equal("screenshot", "traffic", "leaf certificate");
        Labels(r, "layer").Should().Equal("integration");
        r["parameters"]!.AsArray().Should().ContainSingle(p => (string?)p!["name"] == "run seed" && (bool)p!["excluded"]!);

        var failing = run.Result("FailingStepMarksStepFailed")["steps"]!.AsArray();
        failing.Select(s => (string)s!["status"]!).Should().Equal("passed", "failed");

        foreach (var attachment in AllAttachments())
        {
            var source = (string)attachment["source"]!;
            source.Should().MatchRegex(AttachmentFiles.SourcePattern);
            File.Exists(Path.Combine(run.ResultsDirectory, source)).Should().BeTrue(source);
        }
    }

    [Fact]
    public void Odd_attachment_name_is_kept_for_display_and_sanitised_on_disk()
    {
        var attachment = run.Result("OddAttachmentName")["attachments"]![0]!;
        ((string?)attachment["name"]).Should().Be("report: <weird>/name?*|\"ü 100%.txt");
        File.ReadAllText(Path.Combine(run.ResultsDirectory, (string)attachment["source"]!)).Should().Be("odd name content");
    }

    [Fact]
    public void Output_and_xunit_attachments_become_text_attachments()
    {
        var output = run.Result("WritesOutput")["attachments"]!.AsArray().Single(a => (string?)a!["name"] == "Output")!;
        File.ReadAllText(Path.Combine(run.ResultsDirectory, (string)output["source"]!))
            .Should().Contain("first line of output").And.Contain("second line via TestContext");
        var xunit = run.Result("XunitAttachment")["attachments"]![0]!;
        File.ReadAllText(Path.Combine(run.ResultsDirectory, (string)xunit["source"]!)).Should().Be("attached through TestContext");
    }

    [Fact]
    public void Fixtures_are_containers_with_their_tests_as_children()
    {
        JsonObject ContainerOf(string test) => run.Containers.Single(c =>
            c["children"]!.AsArray().Any(ch => (string?)ch == (string?)run.Result(test)["uuid"]));

        var proxy = ContainerOf("FirstUser");
        proxy["children"]!.AsArray().Select(c => (string)c!).Should().BeEquivalentTo(
            [(string)run.Result("FirstUser")["uuid"]!, (string)run.Result("SecondUser")["uuid"]!]);
        ((string?)proxy["befores"]![0]!["name"]).Should().Be("start proxy");
        ((string?)proxy["befores"]![0]!["attachments"]![0]!["name"]).Should().Be("proxy config");
        ((string?)proxy["afters"]![0]!["name"]).Should().Be("stop proxy");

        var device = ContainerOf("NeedsDevice");
        ((string?)device["befores"]![0]!["name"]).Should().Be("boot simulator");
        ((string?)device["befores"]![0]!["status"]).Should().Be("broken");

        var shared = ContainerOf("OnSharedSimulator");
        ((string?)shared["befores"]![0]!["name"]).Should().Be("boot shared simulator");
        ((string?)shared["befores"]![0]!["steps"]![0]!["name"]).Should().Be("wait for springboard");
        ((string?)shared["afters"]![0]!["name"]).Should().Be("shut down shared simulator");

        var session = ContainerOf("UsesSession");
        ((string?)session["befores"]![0]!["name"]).Should().Be("open session");
        ((string?)session["afters"]![0]!["name"]).Should().Be("close session");
    }

    [Fact]
    public void Run_level_files_are_written()
    {
        var env = File.ReadAllText(Path.Combine(run.ResultsDirectory, "environment.properties"));
        env.Should().Contain("test.assembly=Mstg.Allure.SampleTests").And.Contain("suite=sample\\: a\\=b");
        JsonNode.Parse(File.ReadAllText(Path.Combine(run.ResultsDirectory, "executor.json")))!["name"].Should().NotBeNull();
        JsonNode.Parse(File.ReadAllText(Path.Combine(run.ResultsDirectory, "categories.json")))!.AsArray().Should().HaveCount(Categories.MstgCategories.All.Count);
        JsonNode.Parse(File.ReadAllText(Path.Combine(run.ResultsDirectory, "allurerc.json")))!["categories"]!.AsArray().Should().HaveCount(Categories.MstgCategories.All.Count);
    }

    [Fact]
    public void Trx_logger_still_works_alongside()
    {
        var trx = Directory.EnumerateFiles(Path.Combine(run.Root, "trx"), "*.trx").Should().ContainSingle().Subject;
        File.ReadAllText(trx).Should().Contain("FailsOnAssertion").And.Contain("outcome=\"Failed\"");
    }

    private IEnumerable<JsonNode> AllAttachments()
    {
        IEnumerable<JsonNode> Walk(JsonNode item) =>
            item["attachments"]!.AsArray().Select(a => a!)
                .Concat(item["steps"]!.AsArray().SelectMany(s => Walk(s!)));
        return run.Results.SelectMany(r => Walk(r))
            .Concat(run.Containers.SelectMany(c => c["befores"]!.AsArray().Concat(c["afters"]!.AsArray()).SelectMany(f => Walk(f!))));
    }
}
