using System.Text.Json;
using System.Text.Json.Nodes;
using Mstg.Allure.Ids;
using Mstg.Allure.Model;
using Mstg.Allure.Report;
using Mstg.Fixtures.Processes;

namespace Mstg.Suites.Tests;

/// <summary>
/// Issue 13, device-farm runs: one suite run per device (separate processes, as a CI matrix runs them), merged by
/// <c>mstg report --results A --results B</c> with the real Allure 2 CLI into one report where every result names its
/// device and the same test on two devices is two results, not a retry of one.
/// </summary>
public sealed class DeviceMergeTests(DeviceMergeTests.ThreeRuns runs) : IClassFixture<DeviceMergeTests.ThreeRuns>
{
    public const string Iphone15 = "iPhone 15 (iOS 17.4)", Iphone12 = "iPhone 12 (iOS 16.7)";

    /// <summary>The same app (SecureBank, static suite: cheap) on two named devices, and once with no device set.</summary>
    public sealed class ThreeRuns
    {
        public SuiteRun Iphone15 { get; } = Run(DeviceMergeTests.Iphone15);
        public SuiteRun Iphone12 { get; } = Run(DeviceMergeTests.Iphone12);
        public SuiteRun NoDevice { get; } = Run(null);

        private static SuiteRun Run(string? device) => SuiteRun.Start("reference:SecureBank", "L1",
            device is null ? null : new Dictionary<string, string> { ["MSTG_DEVICE_LABEL"] = device }, ["Kind=static"]);
    }

    [Fact]
    public async Task Mstg_report_merges_two_devices_into_one_allure2_report_where_every_result_names_its_device()
    {
        var report = NewFolder("merged");
        var (exit, stdout, stderr) = await MstgReport("--results", runs.Iphone15.AllureResults, "--results", runs.Iphone12.AllureResults, "--output", report);
        exit.Should().Be(0, stderr);
        stderr.Should().NotContain("warning");
        var perDevice = runs.Iphone15.AllureResultFiles.Count;
        perDevice.Should().BeGreaterThan(5).And.Be(runs.Iphone12.AllureResultFiles.Count);

        Problems(report, perDevice, [Iphone15, Iphone12]).Should().BeEmpty();

        // The Suites tab: one branch per device, the suite's own tree under it.
        var suites = Json(Path.Combine(report, "data", "suites.json"));
        suites["children"]!.AsArray().Select(c => (string?)c!["name"]).Should().BeEquivalentTo([Iphone15, Iphone12]);
        suites["children"]![0]!["children"]!.AsArray().Select(c => (string?)c!["name"]).Should().Equal("Static analysis");

        // The environment panel: what both runs share once, what differs per device.
        var environment = Json(Path.Combine(report, "widgets", "environment.json")).AsArray()
            .ToDictionary(e => (string)e!["name"]!, e => e!["values"]!.AsArray().Select(v => (string)v!).ToList());
        environment["devices"].Should().Equal($"{Iphone15}, {Iphone12}");
        environment["app"].Should().Equal("com.example.securebank");
        environment[$"{Iphone15} / device"].Should().Equal($"{Iphone15} (from environment MSTG_DEVICE_LABEL)");
        environment[$"{Iphone12} / device"].Should().Equal($"{Iphone12} (from environment MSTG_DEVICE_LABEL)");
        environment.Should().NotContainKey("device", "an entry that differs between runs is never shown as one key with two unattributed values");
        // Executor info once (both runs are on this machine), categories once.
        Json(Path.Combine(report, "widgets", "executors.json")).AsArray().Should().ContainSingle();
        Json(Path.Combine(report, "widgets", "summary.json"))["reportName"]!.GetValue<string>()
            .Should().Be("MstgTests: com.example.securebank 1.0 (1), MSTG L1 on 2 devices");

        // The requirement x device table on the console, then the report's path as the last line.
        var lines = stdout.Trim().Split('\n').Select(l => l.TrimEnd()).ToList();
        lines[^1].Should().Be(Path.Combine(report, "index.html"));
        lines.Should().Contain(l => l.StartsWith("  requirement", StringComparison.Ordinal) && l.Contains(Iphone15) && l.Contains(Iphone12));
        lines.Should().Contain(l => l.StartsWith("  MSTG-NETWORK-1 ", StringComparison.Ordinal) && l.Split("pass 2/2").Length == 3);
        lines.Should().Contain(l => l.StartsWith("  MSTG-NETWORK-5 ", StringComparison.Ordinal) && l.Split("skip 1/1").Length == 3);
    }

    [Fact]
    public async Task Without_the_device_in_the_ids_the_same_check_finds_the_two_devices_collapsed_into_retries()
    {
        // The must-fail case: the same two runs, but with the device parameter excluded from the ids (what a run without
        // its device in the history key writes). Our historyId still differs per device; Allure 2 ignores it and
        // keys retries on testCaseId + non-excluded parameters, so each test of one device becomes a retry of the other.
        var a = WithoutDeviceInIds(runs.Iphone15.AllureResults);
        var b = WithoutDeviceInIds(runs.Iphone12.AllureResults);
        var report = NewFolder("collapsed");
        var (exit, _, stderr) = await MstgReport("--results", a, "--results", b, "--output", report);
        exit.Should().Be(0, stderr);

        var perDevice = runs.Iphone15.AllureResultFiles.Count;
        var problems = Problems(report, perDevice, [Iphone15, Iphone12]);
        problems.Should().Contain(p => p.StartsWith("retries:", StringComparison.Ordinal))
            .And.Contain(p => p == $"summary total: {perDevice} instead of {2 * perDevice}");
    }

    [Fact]
    public async Task Allure3_keeps_the_two_devices_apart_with_the_device_in_the_ids_and_collapses_them_without()
    {
        var perDevice = runs.Iphone15.AllureResultFiles.Count;
        var report = NewFolder("allure3");
        var (exit, _, stderr) = await MstgReport("--results", runs.Iphone15.AllureResults, "--results", runs.Iphone12.AllureResults, "--output", report, "--engine", "allure3");
        exit.Should().Be(0, stderr);
        var stats = Json(Path.Combine(report, "summary.json"))["stats"]!;
        stats["total"]!.GetValue<int>().Should().Be(2 * perDevice);
        ((int?)stats["retries"] ?? 0).Should().Be(0);
        // The tree starts with the device (the command puts "device" before epic → feature → story when every run names one).
        var tree = Json(Path.Combine(report, "widgets", "tree.json"));
        tree["root"]!["groups"]!.AsArray().Select(g => (string?)tree["groupsById"]![(string)g!]!["name"]).Should().BeEquivalentTo([Iphone15, Iphone12]);
        Json(Path.Combine(report, "widgets", "allure_environment.json")).AsArray().Select(e => (string?)e!["name"])
            .Should().Contain(["devices", $"{Iphone15} / device", $"{Iphone12} / device"]);

        // Must fail: the device excluded from the ids, so Allure 3 also keeps one result per test and the other as its retry.
        var collapsed = NewFolder("allure3-collapsed");
        (exit, _, stderr) = await MstgReport("--results", WithoutDeviceInIds(runs.Iphone15.AllureResults), "--results", WithoutDeviceInIds(runs.Iphone12.AllureResults),
            "--output", collapsed, "--engine", "allure3");
        exit.Should().Be(0, stderr);
        stats = Json(Path.Combine(collapsed, "summary.json"))["stats"]!;
        stats["total"]!.GetValue<int>().Should().Be(perDevice);
        ((int?)stats["retries"]).Should().Be(perDevice);
    }

    [Fact]
    public async Task Merging_runs_that_name_no_device_warns_that_they_collapse()
    {
        var report = NewFolder("nodevice");
        var (exit, _, stderr) = await MstgReport("--results", runs.NoDevice.AllureResults, "--results", runs.Iphone15.AllureResults,
            "--results", WithoutDeviceInIds(runs.NoDevice.AllureResults), "--output", report);
        exit.Should().Be(0, stderr);
        // Both no-device runs are "static": the same described device, which is not in their ids.
        stderr.Should().Contain("warning: these results name the same device 'static'").And.Contain("MSTG_DEVICE_LABEL");
    }

    [Fact]
    public void With_no_device_set_the_ids_and_suites_are_those_of_a_run_without_devices()
    {
        var plain = runs.NoDevice.AllureResultFiles;
        plain.Should().NotBeEmpty();
        foreach (var r in plain)
        {
            var parameters = Parameters(r);
            // The device is described ("static": no driver configured), never keyed.
            Label(r, "device").Should().Be("static");
            parameters.Should().ContainSingle(p => p.Name == "device").Which.Excluded.Should().BeTrue();
            // The history key is the one computed without any device parameter: history continues from earlier runs.
            r.GetProperty("historyId").GetString().Should().Be(AllureIds.HistoryId(r.GetProperty("fullName").GetString()!, parameters.Where(p => p.Name != "device")));
            Label(r, "parentSuite").Should().Be("Static analysis");
        }
        // And the same test on a named device: same test case, its own history.
        var byName = runs.Iphone15.AllureResultFiles.ToDictionary(r => r.GetProperty("name").GetString()!);
        foreach (var r in plain)
        {
            var named = byName[r.GetProperty("name").GetString()!];
            named.GetProperty("testCaseId").GetString().Should().Be(r.GetProperty("testCaseId").GetString());
            named.GetProperty("historyId").GetString().Should().NotBe(r.GetProperty("historyId").GetString());
        }
        runs.NoDevice.Output.Should().Contain("device static (from no app driver configured)");
        runs.Iphone15.Output.Should().Contain($"device {Iphone15} (from environment MSTG_DEVICE_LABEL)");
    }

    [Fact]
    public void Fake_device_farm_not_iOS_a_farm_run_names_the_device_its_session_asks_for_and_keys_the_ids_with_it()
    {
        // A BrowserStack job as a CI matrix configures it (MSTG_DEVICE_NAME and MSTG_PLATFORM_VERSION are the session's
        // capabilities), with no MSTG_DEVICE_LABEL, against a loopback hub that records the session request and refuses it.
        using var hub = new LoopbackW3cHub();
        var farm = SuiteRun.Start("reference:SecureBank", "L1", new Dictionary<string, string>
        {
            ["MSTG_DRIVER"] = "browserstack", ["MSTG_DEVICE_NAME"] = "iPhone 14 Pro", ["MSTG_PLATFORM_VERSION"] = "16",
            ["MSTG_APP_PATH"] = "bs://0123456789abcdef", ["MSTG_APPIUM_URL"] = hub.Url.ToString(),
            ["BROWSERSTACK_USERNAME"] = "ci-user", ["BROWSERSTACK_ACCESS_KEY"] = "not-a-real-key",
        });

        // What the session asked the farm for is the device every result names.
        var sent = hub.Sessions.Should().NotBeEmpty().And.Subject.First();
        var options = (sent["alwaysMatch"]?["bstack:options"] ?? sent["firstMatch"]?[0]?["bstack:options"])!;
        var device = $"{(string?)options["deviceName"]} (iOS {(string?)options["osVersion"]})";
        device.Should().Be("iPhone 14 Pro (iOS 16)");
        farm.Output.Should().Contain($"device {device} (from MSTG_DRIVER=browserstack capabilities)").And.NotContain("not-a-real-key");
        File.ReadAllText(Path.Combine(farm.AllureResults, "environment.properties")).Should().Contain(@"device=iPhone 14 Pro (iOS 16) (from MSTG_DRIVER\=browserstack capabilities)");

        var results = farm.AllureResultFiles;
        results.Should().Contain(r => Label(r, "Kind") == "static").And.Contain(r => Label(r, "Kind") == "dynamic");
        results.Should().OnlyContain(r => Label(r, "device") == device && Label(r, "parentSuite") == device);
        foreach (var r in results)
        {
            var parameters = Parameters(r);
            parameters.Should().ContainSingle(p => p.Name == "device").Which.Should().Be(new Parameter("device", $"\"{device}\""));
            r.GetProperty("historyId").GetString().Should().Be(AllureIds.HistoryId(r.GetProperty("fullName").GetString()!, parameters));
        }
        // The dynamic rows really went to the hub: broken (not failed) with its refusal, an environment problem.
        results.Where(r => Label(r, "Kind") == "dynamic").Should().OnlyContain(r => r.GetProperty("status").GetString() == "broken"
            && r.GetProperty("statusDetails").GetProperty("message").GetString()!.Contains(LoopbackW3cHub.Refusal));
    }

    /// <summary>
    /// What is wrong with a merged Allure 2 report of <paramref name="devices"/>: empty when every device's results are
    /// there as results of their own (no retries), each naming its device by label and parameter.
    /// </summary>
    private static List<string> Problems(string report, int perDevice, IReadOnlyList<string> devices)
    {
        var problems = new List<string>();
        // Allure 2 writes a test-case file for every result, retries included: the retry count and the summary tell them apart.
        var cases = Directory.GetFiles(Path.Combine(report, "data", "test-cases"), "*.json").Select(Json).ToList();
        var retried = cases.Where(c => c["retriesCount"]!.GetValue<int>() > 0).Select(c => (string?)c["name"]).ToList();
        if (retried.Count > 0) problems.Add($"retries: {retried.Count} results carry another device's result as a retry ({retried[0]} …)");
        var total = Json(Path.Combine(report, "widgets", "summary.json"))["statistic"]!["total"]!.GetValue<int>();
        if (total != devices.Count * perDevice) problems.Add($"summary total: {total} instead of {devices.Count * perDevice}");
        foreach (var device in devices)
        {
            var named = cases.Where(c => c["labels"]!.AsArray().Any(l => (string?)l!["name"] == "device" && (string?)l["value"] == device)
                                         && c["parameters"]!.AsArray().Any(p => (string?)p!["name"] == "device" && (string?)p["value"] == $"\"{device}\"")).ToList();
            if (named.Count != perDevice) problems.Add($"{device}: {named.Count} results name it by label and parameter instead of {perDevice}");
        }
        // Every test of the suite is there once per device.
        foreach (var group in cases.GroupBy(c => (string?)c["name"]).Where(g => g.Count() != devices.Count))
            problems.Add($"{group.Key}: {group.Count()} results instead of one per device");
        return problems;
    }

    /// <summary>A copy of the results whose device parameter is excluded from the ids.</summary>
    private static string WithoutDeviceInIds(string results)
    {
        var copy = NewFolder("copy");
        foreach (var file in Directory.GetFiles(results))
        {
            var target = Path.Combine(copy, Path.GetFileName(file));
            if (!file.EndsWith("-result.json", StringComparison.Ordinal)) { File.Copy(file, target); continue; }
            var result = Json(file);
            foreach (var p in result["parameters"]!.AsArray().Where(p => (string?)p!["name"] == "device")) p!["excluded"] = true;
            File.WriteAllText(target, result.ToJsonString());
        }
        return copy;
    }

    private static async Task<(int Exit, string Out, string Err)> MstgReport(params string[] args)
    {
        var run = await ExternalProcess.RunAsync("dotnet", [MstgDll, "report", .. args, "--repo-root", Mstg.Fixtures.RepositoryLayout.Root],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) }, TestContext.Current.CancellationToken);
        return (run.ExitCode, run.StandardOutput, run.StandardError);
    }

    /// <summary>The mstg command line built next to this project, in the same configuration.</summary>
    private static string MstgDll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory);
            var path = Path.Combine(Mstg.Fixtures.RepositoryLayout.Root, "src", "Mstg.Cli", "bin", here.Parent!.Name, here.Name, "mstg.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Mstg.Cli first.", path);
        }
    }

    private static string NewFolder(string name) => Path.Combine(Directory.CreateTempSubdirectory("mstg-device-merge-").FullName, name) is var path
        ? Directory.CreateDirectory(path).FullName : path;

    private static JsonNode Json(string file) => JsonNode.Parse(File.ReadAllText(file))!;

    private static string? Label(JsonElement result, string name) =>
        result.GetProperty("labels").EnumerateArray().Where(l => l.GetProperty("name").GetString() == name).Select(l => l.GetProperty("value").GetString()).FirstOrDefault();

    private static List<Parameter> Parameters(JsonElement result) =>
        result.GetProperty("parameters").EnumerateArray().Select(p => new Parameter(p.GetProperty("name").GetString()!, p.GetProperty("value").GetString()!,
            p.TryGetProperty("excluded", out var e) && e.GetBoolean())).ToList();
}
