using Mstg.Fixtures;
using YamlDotNet.RepresentationModel;

namespace Mstg.Suites.Tests.Docs;

/// <summary>
/// The GitHub Actions examples in docs/ci/ cannot run here (no Mac, no farm account): what is checked is that they parse,
/// name only existing profiles, scripts and settings, take credentials from secrets, and have the shape docs/ci/README.md
/// describes. <see cref="CiWorkflowCheck"/> is shown to catch each kind of mistake on a broken example.
/// </summary>
public sealed class CiWorkflowTests
{
    private static readonly string CiFolder = Path.Combine(RepositoryLayout.Docs, "ci");
    private static readonly IReadOnlySet<string> Settings = SettingNames.FromCode(RepositoryLayout.Root);

    private static readonly string[] Files = ["github-actions-macos-simulator.yml", "github-actions-device-farm.yml"];

    public static TheoryData<string> Workflows => new(Files);

    [Theory]
    [MemberData(nameof(Workflows))]
    public void The_example_parses_and_names_only_existing_profiles_scripts_and_settings(string file)
    {
        var yaml = File.ReadAllText(Path.Combine(CiFolder, file));
        CiWorkflowCheck.Problems(file, yaml, RepositoryLayout.Root, Settings).Should().BeEmpty();
        yaml.Should().Contain("NOT RUN HERE", "the header says that the workflow was never run");
        yaml.Should().MatchRegex(@"dotnet test suites/Mstg\.Suites .*--settings runsettings/\w+\.runsettings");
    }

    [Fact]
    public void The_simulator_example_runs_on_macos_with_the_simulator_profile_and_the_repository_scripts()
    {
        var (yaml, jobs) = Load("github-actions-macos-simulator.yml");
        var job = (YamlMappingNode)jobs.Children.Values.Single();
        Scalar(job, "runs-on").Should().StartWith("macos-");
        yaml.Should().Contain("runsettings/simulator.runsettings").And.Contain("scripts/devices/mac-proxy.sh on")
            .And.Contain("scripts/devices/mac-proxy.sh off").And.Contain("scripts/devices/simulator-trust.sh")
            .And.Contain("appium server").And.Contain("actions/upload-artifact").And.Contain("-- report --results");
    }

    [Fact]
    public void The_farm_example_runs_a_device_matrix_and_merges_every_device_into_one_report()
    {
        var (yaml, jobs) = Load("github-actions-device-farm.yml");
        jobs.Children.Keys.Select(k => k.ToString()).Should().Equal("upload", "devices", "report");
        var devices = (YamlMappingNode)jobs.Children[new YamlScalarNode("devices")];
        var matrix = (YamlMappingNode)((YamlMappingNode)devices.Children[new YamlScalarNode("strategy")]).Children[new YamlScalarNode("matrix")];
        ((YamlSequenceNode)matrix.Children[new YamlScalarNode("device")]).Children.Should().HaveCountGreaterThan(1);
        var report = (YamlMappingNode)jobs.Children[new YamlScalarNode("report")];
        Scalar(report, "needs").Should().Be("devices");
        Scalar(report, "if").Should().Be("always()", "the merged report is made when some devices failed too");
        yaml.Should().Contain("runsettings/browserstack.runsettings").And.Contain("args+=(--results \"$dir\")")
            .And.Contain("name: allure-results-${{ matrix.device.slug }}").And.Contain("MSTG_DEVICE_NAME: ${{ matrix.device.name }}")
            // The suites name the device from the capabilities; an environment entry of that name would be overwritten.
            .And.NotContain("MSTG_ALLURE_ENV_device");
    }

    [Fact]
    public void The_ci_readme_describes_both_examples()
    {
        var readme = File.ReadAllText(Path.Combine(CiFolder, "README.md"));
        foreach (var file in Files) readme.Should().Contain($"]({file})");
    }

    [Fact]
    public void The_check_names_a_missing_profile_a_missing_script_an_unknown_setting_and_a_credential_in_the_file()
    {
        const string broken = """
            name: broken
            jobs:
              run:
                runs-on: ubuntu-latest
                env:
                  MSTG_APP: app.ipa
                  MSTG_DEFAULT_PROFILE: L2
                  MSTG_ALLURE_ENV_device: iPhone 15
                  MSTG_PROFIL: L2
                  MSTG_DEFAULT_NOT_A_SETTING: x
                  BROWSERSTACK_ACCESS_KEY: abc123
                  BROWSERSTACK_USERNAME: ${{ secrets.BROWSERSTACK_USERNAME }}
                steps:
                  - run: scripts/devices/simulator-trust.sh booted --reset && scripts/devices/no-such-script.sh
                  - run: dotnet test suites/Mstg.Suites --settings runsettings/nowhere.runsettings
            """;
        CiWorkflowCheck.Problems("broken.yml", broken, RepositoryLayout.Root, Settings).Should().BeEquivalentTo(
            "broken.yml: scripts/devices/no-such-script.sh does not exist in the repository",
            "broken.yml: runsettings/nowhere.runsettings does not exist in the repository",
            "broken.yml: MSTG_PROFIL is not a setting the code reads (docs/configuration.md)",
            "broken.yml: MSTG_DEFAULT_NOT_A_SETTING is not a setting the code reads (docs/configuration.md)",
            "broken.yml:11: BROWSERSTACK_ACCESS_KEY must come from ${{ secrets.BROWSERSTACK_ACCESS_KEY }}, not from the file");
    }

    [Fact]
    public void The_check_names_the_line_of_invalid_yaml_and_a_workflow_without_jobs_or_steps()
    {
        CiWorkflowCheck.Problems("bad.yml", "jobs:\n  run:\n    steps: [\n", RepositoryLayout.Root, Settings)
            .Should().ContainSingle().Which.Should().StartWith("bad.yml:").And.Contain("not valid YAML");
        CiWorkflowCheck.Problems("empty.yml", "name: nothing\non: push\n", RepositoryLayout.Root, Settings).Should().Equal("empty.yml: no jobs");
        CiWorkflowCheck.Problems("nosteps.yml", "jobs:\n  a:\n    runs-on: ubuntu-latest\n", RepositoryLayout.Root, Settings)
            .Should().Equal("nosteps.yml: job 'a' has no steps");
    }

    private static (string Yaml, YamlMappingNode Jobs) Load(string file)
    {
        var yaml = File.ReadAllText(Path.Combine(CiFolder, file));
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (yaml, (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("jobs")]);
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
