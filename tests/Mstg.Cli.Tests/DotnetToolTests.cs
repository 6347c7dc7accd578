namespace Mstg.Cli.Tests;

/// <summary>
/// <c>mstg</c> as a .NET tool: <c>dotnet pack</c> of src/Mstg.Cli, installed from that folder alone with
/// <c>dotnet tool install --add-source</c>, then run from the tool path. Everything it needs (System.CommandLine and
/// the libraries) is inside the package, so the install reads no other feed.
/// </summary>
public class DotnetToolTests
{
    [Fact]
    public async Task Packed_tool_installs_from_a_local_folder_and_scans()
    {
        var work = Directory.CreateTempSubdirectory("mstg-tool-").FullName;
        var feed = Path.Combine(work, "feed");
        var tools = Path.Combine(work, "tools");
        // The test run has already built Mstg.Cli in its own configuration (bin/<Configuration>/net10.0): pack that build.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var project = Path.Combine(MstgProcess.RepoRoot, "src", "Mstg.Cli", "Mstg.Cli.csproj");

        var pack = await MstgProcess.RunFile("dotnet", ["pack", project, "--no-build", "-c", configuration, "-o", feed, "-v", "q"]);
        pack.Exit.Should().Be(0, pack.Out + pack.Err);
        Directory.GetFiles(feed, "Mstg.Cli.*.nupkg").Should().ContainSingle();

        var install = await MstgProcess.RunFile("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed, "Mstg.Cli"], workingDirectory: work);
        install.Exit.Should().Be(0, install.Out + install.Err);
        var mstg = Path.Combine(tools, "mstg");
        File.Exists(mstg).Should().BeTrue();

        var help = await MstgProcess.RunFile(mstg, ["--help"]);
        help.Exit.Should().Be(ExitCodes.Ok, help.Err);
        help.Out.Should().Contain("scan").And.Contain("Examples:");

        var plist = CliRunner.TempFile("Info.plist", """
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0"><dict>
              <key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/></dict>
            </dict></plist>
            """);
        var scan = await MstgProcess.RunFile(mstg, ["scan", plist, "--format", "json"]);
        scan.Exit.Should().Be(ExitCodes.RuleFailed, scan.Err);
        scan.Out.Should().Contain("\"ruleId\": \"ATS-ARBITRARY-LOADS\"");
    }
}
