using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.ReferenceApps;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Cli.Tests;

/// <summary>A Mach-O cut by a reader limit is INCOMPLETE in the report and exit 1 under <c>--strict</c>; past the old limits the selector is found.</summary>
public class ReaderLimitCliTests
{
    private static readonly string[] SecureL2 = ["--profile", "L2", "--first-party", "securebank.example"];

    [Fact]
    public async Task Secure_app_cut_by_the_string_limit_is_incomplete_and_fails_under_strict()
    {
        var ipa = ReferenceAppCatalog.SecureBank.BuildIpa();

        var (strictExit, output, _) = await CliRunner.Run(["scan", ipa, .. SecureL2, "--strict", "--max-strings", "2"]);
        strictExit.Should().Be(1, output);
        output.Should().Contain("INCOMPLETE").And.Contain("reader limit MaxStrings").And.Contain("string limit of 2 reached");

        var (lenientExit, lenientOutput, _) = await CliRunner.Run(["scan", ipa, .. SecureL2, "--max-strings", "2"]);
        lenientExit.Should().Be(0, lenientOutput);
        lenientOutput.Should().Contain("INCOMPLETE");

        // Control: the same app with the default limits passes, strict or not.
        var (defaultExit, defaultOutput, _) = await CliRunner.Run(["scan", ipa, .. SecureL2, "--strict"]);
        defaultExit.Should().Be(0, defaultOutput);
        defaultOutput.Should().Contain("PASS:");
    }

    [Fact]
    public async Task Selector_after_600k_strings_fails_the_scan()
    {
        var ipa = new IpaBuilder().AddApp("Filler", executable: File.ReadAllBytes(ManyStringsBinaries.AfterManyStrings)).WriteIpa();
        var (exit, output, _) = await CliRunner.Run("scan", ipa, "--strict");
        exit.Should().Be(1, output);
        output.Should().Contain("FAIL BIN-TRUST-BYPASS").And.Contain(ManyStringsBinaries.BypassSelector);
    }

    [Fact]
    public async Task Bad_max_strings_is_a_usage_error()
    {
        var (exit, _, error) = await CliRunner.Run("scan", ReferenceAppCatalog.SecureBank.BuildIpa(), "--max-strings", "0");
        exit.Should().Be(2);
        error.Should().Contain("--max-strings");
    }
}

/// <summary>Error messages that echo names from the input cannot carry raw control characters to the terminal.</summary>
public class StderrEscapingTests
{
    [Fact]
    public async Task Missing_path_with_control_characters_is_echoed_escaped()
    {
        var (exit, _, error) = await CliRunner.Run("scan", "/no/such/\u001b[2J\rPASS.ipa");
        exit.Should().Be(2);
        error.Should().Contain(@"/no/such/\x1b[2J\x0dPASS.ipa").And.NotContain("\u001b").And.NotContain("\r");
    }

    [Fact]
    public async Task Bad_input_named_with_control_characters_is_echoed_escaped()
    {
        var path = CliRunner.TempFile("evil\u001b]0;title\u0007\u202e.ipa", "not a zip");
        var (exit, _, error) = await CliRunner.Run("scan", path);
        exit.Should().Be(2);
        error.Should().StartWith("mstg: bad input: ").And.Contain(@"evil\x1b]0;title\x07\u202e.ipa");
        error.Should().NotContain("\u001b").And.NotContain("\u0007").And.NotContain("\u202e");
    }
}
