using Mstg.Allure.Devices;
using Mstg.Allure.Ids;
using Mstg.Allure.Model;
using Mstg.Allure.Report;
using Mstg.Allure.Settings;
using Mstg.Allure.Writing;
using TestResult = Mstg.Allure.Model.TestResult;

namespace Mstg.Allure.Tests.Unit;

/// <summary>
/// The run's device on every result (docs/allure.md, "Several devices in one report"): a real device keys the results'
/// ids, a described one does not, and no device leaves everything as it was.
/// </summary>
public class RunDeviceTests
{
    private const string FullName = "Mstg.Suites:Mstg.Suites.Static.StaticRequirements.Check(System.String,System.String)";

    private static TestResult Result() => new()
    {
        Uuid = AllureIds.NewUuid(),
        FullName = FullName,
        TestCaseId = AllureIds.TestCaseId(FullName),
        Parameters = [new("requirement", "\"MSTG-NETWORK-1\""), new("app", "\"com.example.securebank\""), new("file", "\"SecureBank.ipa\"", Excluded: true)],
        Labels = [new(LabelNames.ParentSuite, "Static analysis"), new(LabelNames.Suite, "MSTG-NETWORK-1 Secure channel"), new("Requirement", "MSTG-NETWORK-1")],
    };

    private static string History(TestResult r) => AllureIds.HistoryId(r.FullName!, r.Parameters);

    [Fact]
    public void Without_a_device_the_history_id_is_the_one_pinned_before_devices_existed()
    {
        // Pinned value: md5 of {"fullName":…,"parameters":["\"com.example.securebank\"","\"MSTG-NETWORK-1\""]}, as every earlier run wrote it.
        var expected = AllureIds.Md5Hex($"{{\"fullName\":\"{FullName}\",\"parameters\":[\"\\\"com.example.securebank\\\"\",\"\\\"MSTG-NETWORK-1\\\"\"]}}");
        History(Result()).Should().Be(expected);
        AllureSettings.FromEnvironment("/tmp", _ => null).Device.Should().BeNull();
    }

    [Fact]
    public void A_described_device_is_shown_but_keeps_ids_and_suites_unchanged()
    {
        var plain = Result();
        var described = Result();
        new RunDevice("Chromium 120.0 (reference)", InHistory: false).Apply(described);

        History(described).Should().Be(History(plain));
        described.TestCaseId.Should().Be(plain.TestCaseId);
        described.Labels.Where(l => LabelNames.IsSuiteLabel(l.Name)).Should().Equal(plain.Labels.Where(l => LabelNames.IsSuiteLabel(l.Name)));
        described.Labels.Should().Contain(new Label("device", "Chromium 120.0 (reference)"));
        described.Parameters.Should().ContainSingle(p => p.Name == "device").Which.Excluded.Should().BeTrue();
    }

    [Fact]
    public void A_real_device_keys_the_history_but_not_the_test_case()
    {
        var iphone15 = Result();
        var iphone12 = Result();
        new RunDevice("iPhone 15 (iOS 17.4)", InHistory: true).Apply(iphone15);
        new RunDevice("iPhone 12 (iOS 16.7)", InHistory: true).Apply(iphone12);

        History(iphone15).Should().NotBe(History(iphone12)).And.NotBe(History(Result()));
        iphone15.TestCaseId.Should().Be(iphone12.TestCaseId).And.Be(AllureIds.TestCaseId(FullName));
        // Not excluded: Allure 2.46 keys retries on testCaseId + non-excluded parameters, not on our historyId.
        iphone15.Parameters.Should().ContainSingle(p => p.Name == "device").Which.Should().Be(new Parameter("device", "\"iPhone 15 (iOS 17.4)\""));
        iphone15.Labels.Where(l => LabelNames.IsSuiteLabel(l.Name)).Should().Equal(
            new Label(LabelNames.ParentSuite, "iPhone 15 (iOS 17.4)"), new Label(LabelNames.Suite, "Static analysis"),
            new Label(LabelNames.SubSuite, "MSTG-NETWORK-1 Secure channel"));
    }

    [Fact]
    public void Three_suite_levels_keep_the_lowest_two_joined_under_the_device()
    {
        var result = new TestResult
        {
            Uuid = "u", Parameters = [new("device", "\"own argument\"")],
            Labels = [new(LabelNames.ParentSuite, "Asm"), new(LabelNames.Suite, "Ns"), new(LabelNames.SubSuite, "Class")],
        };
        new RunDevice("Pixel", InHistory: true).Apply(result);
        result.Labels.Where(l => LabelNames.IsSuiteLabel(l.Name)).Should().Equal(
            new Label(LabelNames.ParentSuite, "Pixel"), new Label(LabelNames.Suite, "Asm"), new Label(LabelNames.SubSuite, "Ns / Class"));
        // A test's own "device" argument keeps its name; the run's device is added beside it.
        result.Parameters.Select(p => p.Name).Should().Equal("device", RunDevice.FallbackParameterName);
    }

    [Theory]
    [InlineData("iPhone 15", null, true)]
    [InlineData("iPhone 15", "true", true)]
    [InlineData("static", "false", false)]
    public void Settings_read_the_device_and_whether_it_keys_the_ids(string device, string? inHistory, bool expected)
    {
        var variables = new Dictionary<string, string?> { [AllureSettings.DeviceVariable] = $"  {device} ", [AllureSettings.DeviceInHistoryVariable] = inHistory };
        AllureSettings.FromEnvironment("/tmp", n => variables.GetValueOrDefault(n)).Device.Should().Be(new RunDevice(device, expected));
    }

    [Fact]
    public void Environment_properties_read_back_what_the_writer_wrote()
    {
        KeyValuePair<string, string>[] entries =
        [
            new("app setting", "reference:SecureBank (from environment MSTG_APP)"), new("device", "iPhone 15 (iOS 17.4) = #1 ! ü"),
            new("path", @"C:\x\y"), new("lines", "a\nb"), new("lead", " space"),
        ];
        Pairs(EnvironmentFiles.ParseProperties(JavaProperties.Format(entries))).Should().Equal(Pairs(entries));
        // What other writers produce: comments, "key: value", blanks around the separator, continuation lines.
        Pairs(EnvironmentFiles.ParseProperties("# comment\n! also\nos : Linux\nkey   value\nlong = a \\\n    b\n")).Should().Equal(
            ("os", "Linux"), ("key", "value"), ("long", "a b"));
    }

    [Fact]
    public void Merged_environment_shows_shared_entries_once_and_the_rest_per_device()
    {
        var a = Folder(("os", "Linux"), ("device", "iPhone 15 (from environment MSTG_DEVICE_LABEL)"), ("only here", "1"));
        var b = Folder(("os", "Linux"), ("device", "iPhone 12 (from environment MSTG_DEVICE_LABEL)"));
        var merged = ResultsMerge.MergeEnvironment([new MergedRun(a, "iPhone 15"), new MergedRun(b, null)]);
        var runB = $"run 2 ({Path.GetFileName(b)})";
        Pairs(merged).Should().Equal(
            ("devices", $"iPhone 15, {runB}"), ("os", "Linux"),
            ("iPhone 15 / device", "iPhone 15 (from environment MSTG_DEVICE_LABEL)"), ("iPhone 15 / only here", "1"),
            ($"{runB} / device", "iPhone 12 (from environment MSTG_DEVICE_LABEL)"));
    }

    [Fact]
    public void The_older_environment_xml_is_merged_too_and_a_broken_one_is_named()
    {
        var a = Folder(("os", "Linux"));
        File.WriteAllText(Path.Combine(a, "environment.xml"), "<environment><parameter><key>Browser</key><value>Chromium</value></parameter></environment>");
        var b = Folder(("os", "Linux"));
        Pairs(ResultsMerge.MergeEnvironment([new MergedRun(a, "A"), new MergedRun(b, "B")])).Should().Equal(
            ("devices", "A, B"), ("os", "Linux"), ("A / Browser", "Chromium"));

        File.WriteAllText(Path.Combine(b, "environment.xml"), "<environment><parameter>");
        var act = () => ResultsMerge.MergeEnvironment([new MergedRun(a, "A"), new MergedRun(b, "B")]);
        act.Should().Throw<MstgInputException>().Which.Message.Should().Contain(Path.Combine(b, "environment.xml")).And.Contain("not well-formed");
    }

    [Fact]
    public void Runs_without_a_device_or_with_the_same_one_are_warned_about()
    {
        var runs = new[] { new MergedRun("/r/a", "iPhone"), new MergedRun("/r/b", "iPhone"), new MergedRun("/r/c", "Pixel") };
        ResultsMerge.WarningsFor(runs).Should().ContainSingle().Which.Should().Contain("the same device 'iPhone'").And.Contain("/r/a, /r/b").And.Contain("retries");
        ResultsMerge.WarningsFor([new MergedRun("/r/a", null), new MergedRun("/r/b", null)]).Should().ContainSingle().Which.Should().Contain("name no device");
        ResultsMerge.WarningsFor([new MergedRun("/r/a", "iPhone"), new MergedRun("/r/b", "Pixel")]).Should().BeEmpty();
    }

    [Theory]
    [InlineData("passed,passed", "pass 2/2")]
    [InlineData("passed,passed+warn", "pass 2/2 (1 warn)")]
    [InlineData("passed,failed,skipped", "fail 1/3")]
    [InlineData("failed,broken", "broken 1/2")]
    [InlineData("skipped,skipped", "skip 2/2")]
    [InlineData("", "-")]
    public void Device_table_cells_are_worded_like_the_suite_table(string statuses, string cell)
    {
        var entries = statuses.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => new DeviceTable.Entry("MSTG-NETWORK-1", "d", s.Replace("+warn", ""), s.EndsWith("+warn", StringComparison.Ordinal))).ToList();
        DeviceTable.Cell(entries).Should().Be(cell);
    }

    private static List<(string, string)> Pairs(IEnumerable<KeyValuePair<string, string>> entries) => entries.Select(e => (e.Key, e.Value)).ToList();

    private static string Folder(params (string Key, string Value)[] entries)
    {
        var dir = Directory.CreateTempSubdirectory("mstg-env-").FullName;
        File.WriteAllText(Path.Combine(dir, "environment.properties"), JavaProperties.Format(entries.Select(e => new KeyValuePair<string, string>(e.Key, e.Value))));
        return dir;
    }
}
