using System.Text.Json.Nodes;

namespace Mstg.Suites.Tests;

/// <summary>
/// The user-facing suite must not need the clang toolchain (fixtures/Mstg.Fixtures) unless a <c>reference:</c> app is
/// asked for. Proof: a copy of the built suite with Mstg.Fixtures.dll deleted (and dropped from its deps.json) still tests
/// a user's own app to the end; the same copy asked for a reference app says it cannot build it, so the deletion counts.
/// </summary>
public sealed class SuiteWithoutToolchainTests
{
    private static string SuiteWithoutFixtures()
    {
        var source = Path.GetDirectoryName(SuiteRun.SuiteAssembly)!;
        var copy = Directory.CreateTempSubdirectory("mstg-suite-no-fixtures-").FullName;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        foreach (var file in Directory.GetFiles(copy, "Mstg.Fixtures.*")) File.Delete(file);
        // The host refuses to start when deps.json names a file that is missing, so the project reference goes from it too.
        var depsPath = Path.Combine(copy, "Mstg.Suites.deps.json");
        var deps = JsonNode.Parse(File.ReadAllText(depsPath))!;
        foreach (var (_, target) in deps["targets"]!.AsObject())
        {
            foreach (var key in target!.AsObject().Select(p => p.Key).Where(k => k.StartsWith("Mstg.Fixtures/", StringComparison.Ordinal)).ToList())
                target.AsObject().Remove(key);
            foreach (var (_, library) in target.AsObject())
                (library?["dependencies"] as JsonObject)?.Remove("Mstg.Fixtures");
        }
        foreach (var key in deps["libraries"]!.AsObject().Select(p => p.Key).Where(k => k.StartsWith("Mstg.Fixtures/", StringComparison.Ordinal)).ToList())
            deps["libraries"]!.AsObject().Remove(key);
        File.WriteAllText(depsPath, deps.ToJsonString());
        return Path.Combine(copy, "Mstg.Suites.dll");
    }

    [Fact]
    public void A_users_own_app_is_tested_without_the_fixtures_and_a_reference_app_is_not()
    {
        var suite = SuiteWithoutFixtures();
        File.Exists(Path.Combine(Path.GetDirectoryName(suite)!, "Mstg.Fixtures.dll")).Should().BeFalse();
        var plist = Path.Combine(Directory.CreateTempSubdirectory("mstg-plain-app-").FullName, "Info.plist");
        File.WriteAllText(plist, """
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0"><dict><key>CFBundleIdentifier</key><string>com.example.plain</string>
            <key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/></dict></dict></plist>
            """);

        var own = SuiteRun.Start(plist, "L1", suiteAssembly: suite);
        own.Output.Should().NotContain("Mstg.Fixtures");
        own.Single("com.example.plain", "MSTG-NETWORK-1/Ats").Result.Should().Be("Fail");
        own.Single("com.example.plain", "MSTG-NETWORK-1/Ats").Message.Should().Contain("ATS-ARBITRARY-LOADS");
        own.Single("com.example.plain", "MSTG-NETWORK-6/Library").Result.Should().Be("Pass");
        own.Summary.GetProperty("outcome").GetString().Should().Be("failed");

        var reference = SuiteRun.Start("reference:SecureBank", "L1", suiteAssembly: suite);
        reference.Summary.GetProperty("outcome").GetString().Should().Be("environment-error");
        reference.Tests.Single(t => t.Method == "An_app_is_configured_and_can_be_read").Message.Should().Contain("Mstg.Fixtures");
    }
}
