using System.Text.Json;
using Mstg.Allure.Model;
using TestResult = Mstg.Allure.Model.TestResult;
using Mstg.Allure.Writing;

namespace Mstg.Allure.Tests.Unit;

public class WritingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mstg-allure-unit-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("report: <weird>/name?*|\"ü 100%", "t x/t?")]
    [InlineData("../../etc/passwd", "../sh")]
    [InlineData("", "")]
    [InlineData("plain", ".json")]
    public void Attachment_with_any_name_lands_under_a_valid_source_and_keeps_its_display_name(string name, string ext)
    {
        var writer = new AllureResultsWriter(_dir);
        var attachment = writer.WriteAttachment(name, [1, 2, 3], "text/plain", ext);
        attachment.Source.Should().MatchRegex(AttachmentFiles.SourcePattern);
        attachment.Source.Should().Contain("-attachment");
        File.ReadAllBytes(Path.Combine(_dir, attachment.Source)).Should().Equal(1, 2, 3);
        if (name.Length > 0) attachment.Name.Should().Be(name);
        Directory.EnumerateFileSystemEntries(_dir).Should().ContainSingle("nothing may escape into other folders");
    }

    [Fact]
    public void Sanitize_keeps_safe_characters_and_replaces_the_rest()
    {
        AttachmentFiles.Sanitize("a-b_c.D9", 100).Should().Be("a-b_c.D9");
        AttachmentFiles.Sanitize("a b/c:d", 100).Should().Be("a_b_c_d");
        AttachmentFiles.Sanitize(new string('x', 300), 40).Should().HaveLength(40);
        AttachmentFiles.IsValidSource("sub/dir.txt").Should().BeFalse();
        AttachmentFiles.IsValidSource(new string('a', 101)).Should().BeFalse();
    }

    [Fact]
    public void Properties_escape_separators_so_keys_and_values_round_trip()
    {
        var text = JavaProperties.Format([new("proxy url", "http://127.0.0.1:8080/a=b"), new("note", "#1 !x\\y\nz")]);
        text.Should().Be("proxy\\ url=http\\://127.0.0.1\\:8080/a\\=b\nnote=\\#1 \\!x\\\\y\\nz\n");
        JavaProperties.Escape("ü", isKey: false).Should().Be("\\u00fc");
    }

    [Fact]
    public void Result_is_written_atomically_with_allure_json_shape()
    {
        var writer = new AllureResultsWriter(_dir);
        var path = writer.WriteResult(new TestResult { Uuid = "u1", Name = "n", Status = Status.Broken, Stage = Stage.Finished });
        Path.GetFileName(path).Should().EndWith("-result.json");
        Directory.EnumerateFiles(_dir, "*.tmp").Should().BeEmpty();
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        json.RootElement.GetProperty("status").GetString().Should().Be("broken");
        json.RootElement.GetProperty("stage").GetString().Should().Be("finished");
        json.RootElement.TryGetProperty("description", out _).Should().BeFalse("nulls are left out");
    }

    [Fact]
    public void Categories_go_to_categories_json_and_to_allurerc_json()
    {
        var writer = new AllureResultsWriter(_dir);
        writer.WriteCategories(Categories.MstgCategories.All);
        using var legacy = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "categories.json")));
        using var rc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "allurerc.json")));
        System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(rc.RootElement.GetProperty("categories").GetRawText()),
            System.Text.Json.Nodes.JsonNode.Parse(legacy.RootElement.GetRawText())).Should().BeTrue();
        legacy.RootElement[0].GetProperty("matchedStatuses")[0].GetString().Should().Be("failed");
    }

    [Fact]
    public void Prepare_cleans_old_results_and_copies_previous_report_history()
    {
        var writer = new AllureResultsWriter(_dir);
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "old-result.json"), "{}");
        var report = Path.Combine(_dir + "-report", "history");
        Directory.CreateDirectory(report);
        File.WriteAllText(Path.Combine(report, "history.json"), "{\"k\":1}");
        try
        {
            writer.Prepare(clean: true, previousReportDirectory: Path.GetDirectoryName(report));
            File.Exists(Path.Combine(_dir, "old-result.json")).Should().BeFalse();
            File.ReadAllText(Path.Combine(_dir, "history", "history.json")).Should().Be("{\"k\":1}");

            File.WriteAllText(Path.Combine(_dir, "kept-result.json"), "{}");
            writer.Prepare(clean: false, previousReportDirectory: null);
            File.Exists(Path.Combine(_dir, "kept-result.json")).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(_dir + "-report", recursive: true);
        }
    }
}
