using System.Buffers.Binary;
using System.Text;
using Mstg.Bundles.Tests.Support;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Processes;

namespace Mstg.Bundles.Tests;

/// <summary>
/// IPAs made by Info-ZIP's <c>zip</c> (an independent writer, the one most build scripts use): unix symlinks stored
/// with <c>-y</c>, directory entries, and with output to a pipe the data-descriptor layout. Read as a zip they must
/// give exactly what the same tree gives read as a folder.
/// </summary>
/// <remarks>
/// Why the streamed case once failed only on some machines: Info-ZIP 3.0 (Debian 12's zip 3.0-13) stores a symlink
/// (<c>-y</c>) uncompressed, and refuses to store an entry whose size it did not know in advance to an output it
/// cannot seek back in (zipup.c: <c>m == STORE &amp;&amp; q &lt; 0</c>, "zip -0 not supported for I/O on pipes or
/// devices", exit 16). The Info-ZIP 3.1 sources relax that check for symlinks (<c>!(l || mp)</c>), so a machine
/// with another zip build streams the same tree without complaint. The test ran <c>zip … | cat</c> through a plain
/// <c>bash -c</c>, where the pipeline's status is cat's: zip's exit 16 vanished and the reader was blamed for the
/// truncated archive ("End of Central Directory record could not be found"). Now every command runs through
/// <see cref="ExternalProcess.Shell"/> (<c>set -euo pipefail</c>), the streamed case streams a tree without
/// symlinks (which every zip build can), the symlink case writes to a file, and the streamed archive is checked to
/// really carry data descriptors, so the test cannot quietly cover less than it says.
/// </remarks>
public sealed class InfoZipTests : IDisposable
{
    private const ushort DataDescriptorFlag = 1 << 3; // general purpose bit 3: sizes and CRC follow the data

    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    private string Tree(bool withSymlinks)
    {
        var root = _temp.File("tree");
        var package = Packages.Full().AddFile($"{Packages.Main}/Binaries/real", [0xCF, 0xFA, 0xED, 0xFE, 1, 2, 3]);
        if (withSymlinks)
            package.AddSymlink($"{Packages.Main}/Alias", "Binaries/real")
                .AddSymlink($"{Packages.Main}/Outside", "../../../etc/passwd");
        package.WriteFolder(root);
        return root;
    }

    private string Ipa => _temp.File("tool.ipa");

    [Fact]
    public void Info_zip_ipa_with_symlinks_written_to_a_file_reads_like_the_folder_it_was_made_from()
    {
        var tree = Tree(withSymlinks: true);
        ExternalProcess.Shell("zip -q -r -y ../tool.ipa Payload iTunesMetadata.plist", new() { WorkingDirectory = tree }).EnsureSuccess();

        EntryLayout(Ipa).Should().Contain(e => e.Name.EndsWith("/Alias", StringComparison.Ordinal), "the symlink is stored as a link (-y)");
        ReadsLikeFolder(tree, symlinks: true);
    }

    [Fact]
    public void Info_zip_ipa_streamed_to_a_pipe_has_data_descriptors_and_reads_like_the_folder_it_was_made_from()
    {
        var tree = Tree(withSymlinks: false);
        ExternalProcess.Shell("zip -q -r - Payload iTunesMetadata.plist | cat > ../tool.ipa", new() { WorkingDirectory = tree }).EnsureSuccess();

        var files = EntryLayout(Ipa).Where(e => !e.Name.EndsWith('/')).ToList();
        files.Should().NotBeEmpty();
        files.Should().OnlyContain(e => (e.LocalFlags & DataDescriptorFlag) != 0,
            "zip writing to a pipe cannot seek back to the local header, so sizes and CRC follow each entry's data");
        ReadsLikeFolder(tree, symlinks: false);
    }

    /// <summary>
    /// Streaming symlinks is where zip builds differ (see the remarks): Info-ZIP 3.0 must now fail loudly, with its
    /// own exit code and message, instead of leaving a truncated archive behind a successful pipeline; a build that
    /// can stream them must give an archive that reads like the folder.
    /// </summary>
    [Fact]
    public void Info_zip_streaming_symlinks_either_fails_with_zips_own_status_or_reads_like_the_folder()
    {
        var tree = Tree(withSymlinks: true);
        var run = ExternalProcess.Shell("zip -q -r -y - Payload iTunesMetadata.plist | cat > ../tool.ipa", new() { WorkingDirectory = tree });
        var version = ExternalProcess.Run("zip", ["-v"]).EnsureSuccess().StandardOutput;
        TestContext.Current.TestOutputHelper?.WriteLine($"{version.Split('\n').FirstOrDefault(l => l.StartsWith("This is Zip", StringComparison.Ordinal))}: {run.Describe()}");

        if (!run.Succeeded)
        {
            run.ExitCode.Should().Be(16, "zip's ZE_PARMS, not cat's 0, is the pipeline's status under pipefail: " + run);
            run.StandardError.Should().Contain("not supported for I/O on pipes");
            return;
        }
        var alias = EntryLayout(Ipa).Should().ContainSingle(e => e.Name.EndsWith("/Alias", StringComparison.Ordinal)).Which;
        (alias.LocalFlags & DataDescriptorFlag).Should().NotBe(0, "a streamed symlink is followed by a data descriptor too");
        ReadsLikeFolder(tree, symlinks: true);
    }

    private void ReadsLikeFolder(string tree, bool symlinks)
    {
        using var zip = AppPackageReader.Open(Ipa);
        using var folder = AppPackageReader.Open(tree);

        zip.Files.Files.Select(f => (f.Path, f.Size, f.IsSymlink, f.SymlinkTarget))
            .Should().BeEquivalentTo(folder.Files.Files.Select(f => (f.Path, f.Size, f.IsSymlink, f.SymlinkTarget)));
        zip.Bundles.Select(b => (b.Kind, b.Path, b.Executable?.Path, b.Files.Count))
            .Should().Equal(folder.Bundles.Select(b => (b.Kind, b.Path, b.Executable?.Path, b.Files.Count)));

        foreach (var file in zip.Files.Files.Where(f => !f.IsSymlink))
        {
            using var fromZip = zip.Files.Open(file);
            using var fromFolder = folder.Files.Open(folder.Files.Files.Single(f => f.Path == file.Path));
            Bytes(fromZip).Should().Equal(Bytes(fromFolder), file.Path);
        }
        if (!symlinks) return;
        zip.Files.Files.Should().Contain(f => f.IsSymlink && f.SymlinkTarget == "Binaries/real");
        using var alias = zip.Files.Open(zip.Files.Files.Single(f => f.Name == "Alias"));
        Bytes(alias).Should().Equal(0xCF, 0xFA, 0xED, 0xFE, 1, 2, 3);
    }

    /// <summary>Each entry's name and the general purpose flags of its local header, found through the central directory.</summary>
    private static List<(string Name, ushort LocalFlags)> EntryLayout(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var end = bytes.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        end.Should().BeGreaterThanOrEqualTo(0, $"{path} ({bytes.Length} bytes) must end with a central directory");
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(end + 10));
        var position = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end + 16));
        var entries = new List<(string, ushort)>();
        for (var i = 0; i < count; i++)
        {
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(position + 28));
            var local = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 42));
            entries.Add((Encoding.UTF8.GetString(bytes, position + 46, nameLength), BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(local + 6))));
            position += 46 + nameLength + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(position + 30))
                + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(position + 32));
        }
        return entries;
    }

    private static byte[] Bytes(Stream stream)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
