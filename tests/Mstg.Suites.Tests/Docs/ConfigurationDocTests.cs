using Mstg.Fixtures;

namespace Mstg.Suites.Tests.Docs;

/// <summary>docs/configuration.md against the code: every MSTG_* setting the code reads is in its table, and nothing else is.</summary>
public sealed class ConfigurationDocTests
{
    private static string Doc => File.ReadAllText(Path.Combine(RepositoryLayout.Docs, "configuration.md"));

    [Fact]
    public void Every_setting_the_code_reads_is_in_configuration_md_and_every_listed_one_is_read()
    {
        var (missing, extra) = SettingNames.Compare(SettingNames.FromCode(RepositoryLayout.Root), SettingNames.FromConfigurationDoc(Doc));
        missing.Should().BeEmpty("every MSTG_* setting in src/, suites/ or fixtures/ needs a row in docs/configuration.md, \"Every setting\"");
        extra.Should().BeEmpty("docs/configuration.md lists only settings the code reads (a renamed or removed setting must leave the table)");
    }

    [Fact]
    public void The_code_scan_finds_suite_dynamic_device_allure_and_fixture_settings_and_prefixes()
    {
        // A scan that found nothing would make the comparison above pass on an empty doc: it must see each kind.
        var code = SettingNames.FromCode(RepositoryLayout.Root);
        // (This project runs the suite as a process and does not reference its assembly, hence the names as text.)
        code.Should().Contain(["MSTG_APP", "MSTG_PROFILE", "MSTG_DYNAMIC_VERDICTS", "MSTG_DRIVER", "MSTG_ALLURE_RESULTS", "MSTG_FUZZ_SEED",
            "MSTG_PROXY_AUTH", "MSTG_ALLURE_ENV_", "MSTG_DEFAULT_"]);
        code.Should().NotContain("MSTG_", "the bare prefix that slices names is not a setting");
    }

    [Fact]
    public void The_check_names_a_setting_the_doc_lacks_and_a_row_the_code_does_not_read()
    {
        var code = SettingNames.FromCode(RepositoryLayout.Root);
        var lines = Doc.Split('\n').Where(l => !l.StartsWith("| `MSTG_DYNAMIC_SETTLE_MS`", StringComparison.Ordinal)).ToList();
        lines.Insert(lines.FindIndex(l => l.StartsWith("| `MSTG_APP`", StringComparison.Ordinal)), "| `MSTG_NOT_READ_ANYWHERE` | invented | none | nobody |");
        var (missing, extra) = SettingNames.Compare(code, SettingNames.FromConfigurationDoc(string.Join('\n', lines)));
        missing.Should().Equal("MSTG_DYNAMIC_SETTLE_MS");
        extra.Should().Equal("MSTG_NOT_READ_ANYWHERE");
    }

    [Fact]
    public void A_prefix_row_stands_for_its_prefix_and_rows_outside_the_settings_table_do_not_count()
    {
        var doc = "## Every setting\n| setting | meaning |\n|---|---|\n| `MSTG_ALLURE_ENV_<name>` | x |\n| `MSTG_APP` | y |\n" +
                  "## The runsettings profiles\n| `MSTG_ELSEWHERE` | not a settings row |\n";
        SettingNames.FromConfigurationDoc(doc).Should().Equal("MSTG_ALLURE_ENV_", "MSTG_APP");
    }

    [Fact]
    public void Every_runsettings_profile_is_described_in_configuration_md()
    {
        var profiles = Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Root, "runsettings"))
            .Select(f => "runsettings/" + Path.GetFileName(f))
            .Where(f => f.EndsWith(".runsettings", StringComparison.Ordinal) || f.EndsWith(".example", StringComparison.Ordinal))
            .Where(f => !Path.GetFileName(f).StartsWith("my-", StringComparison.Ordinal)) // a user's own, git-ignored
            .ToList();
        profiles.Should().Contain("runsettings/local.runsettings");
        var doc = Doc;
        profiles.Where(p => !doc.Contains($"`{p}`", StringComparison.Ordinal)).Should().BeEmpty("docs/configuration.md, \"The runsettings profiles\", describes every shipped profile");
    }
}
