namespace Mstg.Cli.Tests;

/// <summary>The generated command line through the real <c>mstg</c> process: help, typo suggestions, completion, exit codes.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("scan")]
    [InlineData("proxy")]
    [InlineData("ca", "export")]
    [InlineData("report")]
    [InlineData("tls")]
    public async Task Every_verb_has_generated_help_with_examples(params string[] verb)
    {
        // `mstg scan --help` used to be refused as an unknown option while `proxy --help` worked.
        var (exit, output, error) = await MstgProcess.Run([.. verb, "--help"]);
        exit.Should().Be(ExitCodes.Ok, error);
        output.Should().Contain($"mstg {string.Join(' ', verb)}").And.Contain("Options:").And.Contain("Examples:");
        output.Should().Contain($"  mstg {string.Join(' ', verb)} ", "the examples show the verb in use");
    }

    [Fact]
    public async Task Root_help_lists_every_verb_and_the_exit_codes()
    {
        var (exit, output, _) = await MstgProcess.Run("--help");
        exit.Should().Be(ExitCodes.Ok);
        output.Should().Contain("scan").And.Contain("proxy").And.Contain("ca").And.Contain("report").And.Contain("tls").And.Contain("version");
        output.Should().Contain("143 stopped by SIGTERM");
        var (noWords, overview, _) = await MstgProcess.Run();
        noWords.Should().Be(ExitCodes.Usage, "a script that forgot its verb must not pass");
        overview.Should().Contain("Usage:");
        (await MstgProcess.Run("help", "scan")).Out.Should().Contain("--fail-on");
    }

    [Theory]
    [InlineData("version")]
    [InlineData("--version")]
    public async Task Version_prints_the_tool_version(string word)
    {
        var (exit, output, _) = await CliRunner.Run(word);
        exit.Should().Be(ExitCodes.Ok);
        output.Trim().Should().MatchRegex(@"^mstg \d+\.\d+\.\d+$");
    }

    [Theory]
    [InlineData("--fromat", "--format")]
    [InlineData("--fail-onn", "--fail-on")]
    [InlineData("--baselin", "--baseline")]
    public async Task A_misspelt_option_gets_a_suggestion_and_exit_2(string typo, string meant)
    {
        var (exit, output, error) = await MstgProcess.Run("scan", typo, "json", "App.ipa");
        exit.Should().Be(ExitCodes.Usage, error);
        output.Should().BeEmpty();
        error.Should().StartWith("mstg: ").And.Contain($"'{typo}'").And.Contain($"did you mean '{meant}'?");
    }

    [Fact]
    public async Task A_misspelt_verb_gets_a_suggestion()
    {
        var (exit, _, error) = await MstgProcess.Run("scna", "App.ipa");
        exit.Should().Be(ExitCodes.Usage);
        error.Should().Contain("did you mean 'scan'?").And.NotContain("Required command", "a wrong verb is one error, not two");
        (await MstgProcess.Run("ca", "exprot")).Err.Should().Contain("did you mean 'export'?");
        (await MstgProcess.Run("x")).Err.Should().NotContain("did you mean", "a one-letter word is near everything");
        var (proxyExit, _, proxyError) = await MstgProcess.Run("proxy", "--conditon", "expired");
        proxyExit.Should().Be(ExitCodes.Usage);
        proxyError.Should().Contain("did you mean '--condition'?");
    }

    [Fact]
    public async Task A_far_off_word_gets_no_suggestion()
    {
        var (exit, _, error) = await MstgProcess.Run("scan", "--zzzzzzzz", "App.ipa");
        exit.Should().Be(ExitCodes.Usage);
        error.Should().Contain("--zzzzzzzz").And.NotContain("did you mean");
    }

    [Theory]
    // dotnet-suggest calls `app [suggest:POSITION] "COMMAND LINE"`; the position is the cursor within that line.
    [InlineData("mstg scan --fo", "--format")]
    [InlineData("mstg scan --format ", "sarif")]
    [InlineData("mstg scan --fail-on ", "warn")]
    [InlineData("mstg sc", "scan")]
    [InlineData("mstg proxy --condition ", "untrusted-ca")]
    public async Task Suggest_directive_completes_verbs_options_and_values(string line, string expected)
    {
        var (exit, output, error) = await MstgProcess.Run($"[suggest:{line.Length}]", line);
        exit.Should().Be(ExitCodes.Ok, error);
        output.Split('\n', StringSplitOptions.TrimEntries).Should().Contain(expected);
    }

    [Fact]
    public async Task Suggest_directive_offers_only_matching_options()
    {
        var line = "mstg scan --fo";
        var (_, output, _) = await MstgProcess.Run($"[suggest:{line.Length}]", line);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Should().BeEquivalentTo(["--format"]);
    }

    [Theory]
    [InlineData("report", "--results", "r")]
    [InlineData("report", "--results", "r", "--output", "o", "--engine", "allure9")]
    [InlineData("ca", "export", "--format")]
    [InlineData("proxy", "--control", "tcp")]
    [InlineData("tls", "--format", "xml", "localhost:1")]
    [InlineData("tls")]
    public async Task Bad_words_for_the_library_verbs_exit_2_before_the_library_runs(params string[] args)
    {
        var (exit, output, error) = await CliRunner.Run(args);
        exit.Should().Be(ExitCodes.Usage, error);
        output.Should().BeEmpty();
        error.Should().StartWith("mstg: ").And.Contain($"mstg {args[0]}");
    }

    [Fact]
    public async Task Report_merging_several_results_names_the_folder_that_is_missing_or_given_twice()
    {
        var results = Directory.CreateTempSubdirectory("mstg-cli-merge-").FullName;
        File.WriteAllText(Path.Combine(results, "a-result.json"), """{"uuid":"a","name":"t","status":"passed","labels":[]}""");
        var missing = Path.Combine(results, "no-such-run");
        var output = Path.Combine(results, "report");

        var (exit, _, error) = await CliRunner.Run("report", "--results", results, "--results", missing, "--output", output);
        exit.Should().Be(ExitCodes.Usage, error);
        error.Should().Contain(missing).And.Contain("does not exist");

        (exit, _, error) = await CliRunner.Run("report", "--results", results, "--results", results + "/", "--output", output);
        exit.Should().Be(ExitCodes.Usage, error);
        error.Should().Contain("given twice");
        Directory.Exists(output).Should().BeFalse("nothing is generated from bad input");
    }
}
