using Mstg.Cli;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Processes;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Cli.Tests;

/// <summary>
/// <c>mstg scan</c> keeps its promises on hostile packages: bad input exits 2 naming the entry, a package read only in
/// part says <c>incomplete</c> (exit 0, or 1 with <c>--strict</c>), and special files never hang it.
/// </summary>
public class HostileInputTests
{
    private const string Main = "Payload/Shop.app";
    private static readonly Lazy<byte[]> RealBinary = new(() => ClangToolchain.Instance.Build(new MachOSpec { Source = "int main(void) { return 0; }" }));

    private static string Plist(string root) => $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">{root}</plist>\n";

    private static string Folder() => Directory.CreateTempSubdirectory("mstg-hostile-").FullName;

    /// <summary>Runs the scan twice: plain must exit 0 and print "incomplete", <c>--strict</c> must exit 1; returns the text report.</summary>
    private static async Task<string> ExpectIncomplete(string target)
    {
        var (exit, output, error) = await CliRunner.Run("scan", target);
        exit.Should().Be(ExitCodes.Ok, error);
        output.Should().Contain("INCOMPLETE");
        var (strict, _, strictError) = await CliRunner.Run("scan", target, "--strict");
        strict.Should().Be(ExitCodes.RuleFailed, strictError);
        return output;
    }

    [Theory]
    [InlineData("<array><string>x</string></array>", false)]
    [InlineData("<string>x</string>", false)]
    [InlineData("", false)]
    [InlineData("<array/>", true)]
    [InlineData("<string>x</string>", true)]
    [InlineData("", true)]
    public async Task Main_app_info_plist_that_is_not_a_dict_exits_2_naming_it(string root, bool folder)
    {
        var builder = new IpaBuilder().AddBundle(Main, executableContent: RealBinary.Value, infoPlistXml: Plist(root));
        var target = folder ? builder.WriteAppFolder(Folder()) : builder.WriteIpa();
        var (exit, _, error) = await CliRunner.Run("scan", target);
        exit.Should().Be(ExitCodes.Usage, error);
        error.Should().Contain(folder ? "entry Shop.app/Info.plist" : $"entry {Main}/Info.plist").And.Contain("bad input").And.NotContain("   at ");
    }

    [Theory]
    [InlineData("<array/>", false)]
    [InlineData("", false)]
    [InlineData("<string>x</string>", true)]
    public async Task Extension_info_plist_that_is_not_a_dict_makes_the_scan_incomplete(string root, bool folder)
    {
        var builder = new IpaBuilder().AddApp("Shop", executable: RealBinary.Value)
            .AddBundle($"{Main}/PlugIns/Share.appex", executableContent: RealBinary.Value, infoPlistXml: Plist(root));
        var output = await ExpectIncomplete(folder ? builder.WriteAppFolder(Folder()) : builder.WriteIpa());
        output.Should().Contain("PlugIns/Share.appex/Info.plist");
    }

    [Fact]
    public async Task Entries_with_65_KB_names_are_skipped_and_the_scan_incomplete()
    {
        var builder = new IpaBuilder().AddApp("Shop", executable: RealBinary.Value);
        for (var i = 0; i < 3; i++) builder.AddText($"{Main}/" + string.Concat(Enumerable.Repeat("a/", 32_750)) + $"f{i}", "x");
        var output = await ExpectIncomplete(builder.WriteIpa());
        output.Should().Contain("path length limit");
    }

    [Fact]
    public async Task Executable_with_a_wrong_crc_makes_the_scan_incomplete()
    {
        var ipa = new IpaBuilder().AddApp("Shop", executable: RealBinary.Value).CorruptCrc($"{Main}/Shop").WriteIpa();
        var output = await ExpectIncomplete(ipa);
        output.Should().Contain("CRC-32");
    }

    [Fact]
    public async Task Fifo_and_socket_in_an_app_folder_are_skipped_and_the_scan_incomplete()
    {
        var app = new IpaBuilder().AddApp("Shop", executable: RealBinary.Value).WriteAppFolder(Folder());
        MakeFifo(Path.Combine(app, "pipe"));
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, 0);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(app, "sock")));

        var output = await ExpectIncomplete(app).WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
        output.Should().Contain("Shop.app/pipe").And.Contain("FIFO").And.Contain("Shop.app/sock");
    }

    [Fact]
    public async Task Fifo_given_as_the_target_exits_2()
    {
        var fifo = Path.Combine(Folder(), "app.ipa");
        MakeFifo(fifo);
        var (exit, _, error) = await CliRunner.Run("scan", fifo).WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
        exit.Should().Be(ExitCodes.Usage);
        error.Should().Contain(fifo).And.Contain("is a FIFO");
    }

    /// <summary>
    /// The real <c>mstg</c> process on a folder holding a FIFO, killed if it hangs: exit 1 under --strict, the problem
    /// on standard output.
    /// </summary>
    [Fact]
    public async Task Real_mstg_process_does_not_hang_on_a_fifo()
    {
        var app = new IpaBuilder().AddApp("Shop", executable: RealBinary.Value).WriteAppFolder(Folder());
        MakeFifo(Path.Combine(app, "pipe"));
        var mstg = Path.Combine(AppContext.BaseDirectory, "mstg.dll");
        File.Exists(mstg).Should().BeTrue(mstg);

        // The runner kills the process tree if it hangs past the bound, and fails the test saying so.
        var scan = await ExternalProcess.RunAsync("dotnet", [mstg, "scan", app, "--strict"],
            new ProcessOptions { Timeout = TimeSpan.FromSeconds(120) }, TestContext.Current.CancellationToken);
        scan.ExitCode.Should().Be(ExitCodes.RuleFailed, scan.Describe());
        scan.StandardOutput.Should().Contain("Shop.app/pipe").And.Contain("FIFO");
    }

    private static void MakeFifo(string path) => ExternalProcess.Run("mkfifo", [path]).EnsureSuccess();
}
