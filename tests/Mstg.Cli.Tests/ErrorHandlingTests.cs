using System.Text.Json;
using System.Xml.Linq;
using Mstg.Fixtures;
using Mstg.Fixtures.Packaging;

namespace Mstg.Cli.Tests;

/// <summary>Everything a user can get wrong ends in exit code 2 and a sentence naming the file, never a stack trace.</summary>
public class ErrorHandlingTests
{
    private const string Plist = """
        <?xml version="1.0" encoding="UTF-8"?>
        <plist version="1.0"><dict><key>CFBundleIdentifier</key><string>com.example</string></dict></plist>
        """;

    [Fact]
    public async Task Missing_advisory_file_exits_2_naming_it()
    {
        var (exit, _, error) = await CliRunner.Run("scan", CliRunner.TempFile("Info.plist", Plist), "--advisories", "/no/such/advisories.json");
        exit.Should().Be(2);
        error.Should().Contain("/no/such/advisories.json").And.NotContain("   at ");
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""[ { "id": null, "summary": "x", "affected": null } ]""")]
    [InlineData("""{ "advisories": [ { "id": null, "summary": "x", "affected": null } ] }""")]
    public async Task Malformed_advisory_file_exits_2_naming_it(string content)
    {
        var advisories = CliRunner.TempFile("advisories.json", content);
        var (exit, _, error) = await CliRunner.Run("scan", CliRunner.TempFile("Info.plist", Plist), "--advisories", advisories);
        exit.Should().Be(2);
        error.Should().Contain(advisories);
    }

    [Fact]
    public async Task Output_into_a_missing_folder_exits_2()
    {
        var (exit, _, error) = await CliRunner.Run("scan", CliRunner.TempFile("Info.plist", Plist), "--output", "/no/such/dir/scan.json");
        exit.Should().Be(2);
        error.Should().Contain("/no/such/dir/scan.json");
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("<?xml version=\"1.0\"?><plist version=\"1.0\"><string>not a dict</string></plist>")]
    public async Task A_file_that_is_not_an_info_plist_exits_2(string content)
    {
        var path = CliRunner.TempFile("Info.plist", content);
        var (exit, _, error) = await CliRunner.Run("scan", path);
        exit.Should().Be(2);
        error.Should().Contain(path).And.Contain("not the <dict>");
    }

    [Fact]
    public async Task Unreadable_binary_makes_the_scan_incomplete_not_a_pass()
    {
        var ipa = new IpaBuilder().AddApp("Broken", executable: [0xCF, 0xFA, 0xED, 0xFE, 1, 2, 3]).WriteIpa();
        var output = Path.Combine(Directory.CreateTempSubdirectory().FullName, "scan.json");
        var (exit, _, error) = await CliRunner.Run("scan", ipa, "--format", "json", "--output", output);
        exit.Should().Be(0, "nothing failed; --strict turns an incomplete scan into exit 1");
        error.Should().Contain("incomplete");
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        json.RootElement.GetProperty("summary").GetProperty("verdict").GetString().Should().Be("incomplete");

        var (strictExit, text, _) = await CliRunner.Run("scan", ipa, "--strict");
        strictExit.Should().Be(1);
        text.Should().Contain("INCOMPLETE").And.Contain("this is not a pass");
    }

    [Theory]
    [InlineData("report", "--help")]
    [InlineData("ca", "--help")]
    [InlineData("proxy", "--help")]
    public async Task Help_of_each_command_exits_0_on_standard_output(params string[] args)
    {
        var (exit, output, _) = await CliRunner.Run(args);
        exit.Should().Be(0);
        output.Should().Contain("Usage:").And.Contain("mstg " + args[0]).And.Contain("Examples:");
    }

    [Fact]
    public void Every_runsettings_profile_is_well_formed_xml()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryLayout.Root, "runsettings"));
        files.Should().NotBeEmpty();
        foreach (var file in files)
        {
            var doc = XDocument.Load(file);
            doc.Root!.Name.LocalName.Should().Be("RunSettings", file);
            doc.Descendants("MSTG_DEFAULT_APP").Should().ContainSingle(file); // runsettings give defaults (README: precedence)
        }
    }
}
