using System.Diagnostics;
using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Packaging;

namespace Mstg.Bundles.Tests;

/// <summary>
/// IPAs made by Info-ZIP's <c>zip</c> (an independent writer, the one most build scripts use): unix symlinks stored
/// with <c>-y</c>, directory entries, and with output to a pipe the data-descriptor layout. Read as a zip they must
/// give exactly what the same tree gives read as a folder.
/// </summary>
public sealed class InfoZipTests : IDisposable
{
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    private string Tree()
    {
        var root = _temp.File("tree");
        Packages.Full()
            .AddFile($"{Packages.Main}/Binaries/real", [0xCF, 0xFA, 0xED, 0xFE, 1, 2, 3])
            .AddSymlink($"{Packages.Main}/Alias", "Binaries/real")
            .AddSymlink($"{Packages.Main}/Outside", "../../../etc/passwd")
            .WriteFolder(root);
        return root;
    }

    private static void Zip(string workingFolder, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", arguments])
        {
            WorkingDirectory = workingFolder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, errors);
    }

    [Theory]
    [InlineData("zip -q -r -y ../tool.ipa Payload iTunesMetadata.plist")]
    [InlineData("zip -q -r -y - Payload iTunesMetadata.plist | cat > ../tool.ipa")]
    public void Info_zip_ipa_reads_like_the_folder_it_was_made_from(string command)
    {
        var tree = Tree();
        Zip(tree, command);

        using var zip = AppPackageReader.Open(_temp.File("tool.ipa"));
        using var folder = AppPackageReader.Open(tree);

        zip.Files.Files.Select(f => (f.Path, f.Size, f.IsSymlink, f.SymlinkTarget))
            .Should().BeEquivalentTo(folder.Files.Files.Select(f => (f.Path, f.Size, f.IsSymlink, f.SymlinkTarget)));
        zip.Bundles.Select(b => (b.Kind, b.Path, b.Executable?.Path, b.Files.Count))
            .Should().Equal(folder.Bundles.Select(b => (b.Kind, b.Path, b.Executable?.Path, b.Files.Count)));
        zip.Files.Files.Should().Contain(f => f.IsSymlink && f.SymlinkTarget == "Binaries/real");

        foreach (var file in zip.Files.Files.Where(f => !f.IsSymlink))
        {
            using var fromZip = zip.Files.Open(file);
            using var fromFolder = folder.Files.Open(folder.Files.Files.Single(f => f.Path == file.Path));
            Bytes(fromZip).Should().Equal(Bytes(fromFolder), file.Path);
        }
        using var alias = zip.Files.Open(zip.Files.Files.Single(f => f.Name == "Alias"));
        Bytes(alias).Should().Equal(0xCF, 0xFA, 0xED, 0xFE, 1, 2, 3);
    }

    private static byte[] Bytes(Stream stream)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
