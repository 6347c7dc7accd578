using System.Net.Sockets;
using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Processes;

namespace Mstg.Bundles.Tests;

/// <summary>
/// FIFOs, sockets and devices inside an app folder are skipped with a problem naming them and never opened: opening
/// a FIFO blocks until a writer appears, so a regression would hang. Every open runs under a guard that turns a hang
/// into a failure (the blocked thread is a background thread and does not keep the test run alive).
/// </summary>
public sealed class SpecialFileTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private readonly TempFolder _temp = new();
    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        foreach (var socket in _sockets) socket.Dispose();
        _temp.Dispose();
    }

    private string AppFolder() => new IpaBuilder().AddApp("Shop").WriteAppFolder(_temp.File("unpacked"));

    private static void MakeFifo(string path) => ExternalProcess.Run("mkfifo", [path]).EnsureSuccess();

    private void MakeSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _sockets.Add(socket);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();
    }

    /// <summary>Opens the package and reads every file it lists, off the test thread, failing instead of hanging.</summary>
    private static async Task<AppPackage> OpenAndReadAll(string path)
    {
        return await Task.Run(() =>
        {
            var package = AppPackageReader.Open(path);
            foreach (var file in package.Files.Files)
            {
                try
                {
                    using var stream = package.Files.Open(file);
                    stream.CopyTo(Stream.Null);
                }
                catch (MstgInputException) { } // a symlink to a skipped file cannot be followed: a typed refusal is fine
            }
            return package;
        }).WaitAsync(HangGuard, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Fifo_socket_and_a_symlink_to_the_fifo_are_skipped_never_opened()
    {
        var app = AppFolder();
        MakeFifo(Path.Combine(app, "pipe"));
        MakeSocket(Path.Combine(app, "sock"));
        File.CreateSymbolicLink(Path.Combine(app, "to-pipe"), "pipe");

        using var package = await OpenAndReadAll(app);

        package.Files.Files.Select(f => f.Path).Should().NotContain(["Shop.app/pipe", "Shop.app/sock"]);
        package.Problems.Select(p => (p.Place, p.Problem)).Should().Contain(
            [("Shop.app/pipe", "skipped without opening it: a FIFO (named pipe), not a file an app can ship"),
             ("Shop.app/sock", "skipped without opening it: a socket, not a file an app can ship")]);
        var follow = () => package.Files.Open(package.Files.Files.Single(f => f.Path == "Shop.app/to-pipe"));
        follow.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("not in the package");
    }

    [Fact]
    public async Task Character_device_is_skipped()
    {
        var app = AppFolder();
        var mknod = ExternalProcess.Run("mknod", [Path.Combine(app, "null"), "c", "1", "3"]);
        if (!mknod.Succeeded) Assert.Skip($"mknod needs CAP_MKNOD: {mknod.StandardError}");
        using var package = await OpenAndReadAll(app);
        package.Problems.Should().ContainSingle().Which.Problem.Should().Contain("a character device");
    }

    [Fact]
    public async Task Fifo_in_place_of_the_executable_leaves_the_app_without_one_as_a_problem()
    {
        var app = AppFolder();
        File.Delete(Path.Combine(app, "Shop"));
        MakeFifo(Path.Combine(app, "Shop"));

        using var package = await OpenAndReadAll(app);

        package.Main.Executable.Should().BeNull();
        package.Problems.Select(p => p.Problem).Should().Contain(p => p.Contains("FIFO")).And.Contain(p => p.Contains("has no executable"));
    }

    [Fact]
    public async Task Fifo_in_place_of_the_main_info_plist_is_bad_input_saying_it_was_skipped()
    {
        var app = AppFolder();
        File.Delete(Path.Combine(app, "Info.plist"));
        MakeFifo(Path.Combine(app, "Info.plist"));

        var open = () => OpenAndReadAll(app);
        (await open.Should().ThrowAsync<BundleFormatException>()).Which.Problem.Should()
            .Contain("has no Info.plist").And.Contain("Shop.app/Info.plist: skipped without opening it: a FIFO");
    }

    [Fact]
    public async Task File_swapped_for_a_fifo_after_listing_is_refused_not_opened()
    {
        var app = AppFolder();
        using var package = AppPackageReader.Open(app);
        File.Delete(Path.Combine(app, "Shop"));
        MakeFifo(Path.Combine(app, "Shop"));

        var open = () => Task.Run(() => package.Files.Open(package.Main.Executable!).Dispose())
            .WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        (await open.Should().ThrowAsync<BundleFormatException>()).Which.Problem.Should().Contain("now a FIFO");
    }

    [Fact]
    public async Task Fifo_given_as_the_target_is_bad_input()
    {
        var fifo = _temp.File("app.ipa");
        MakeFifo(fifo);
        File.CreateSymbolicLink(_temp.File("link.ipa"), fifo);
        foreach (var target in new[] { fifo, _temp.File("link.ipa") })
        {
            var open = () => OpenAndReadAll(target);
            (await open.Should().ThrowAsync<BundleFormatException>()).Which.Problem.Should().Contain("is a FIFO");
        }
    }
}
