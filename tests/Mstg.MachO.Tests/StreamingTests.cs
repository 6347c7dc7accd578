using System.Diagnostics;
using System.IO.Compression;
using Mstg.MachO.Tests.Support;

namespace Mstg.MachO.Tests;

/// <summary>Forward-only streams give the same answer as random access, and big files are never buffered whole.</summary>
public class StreamingTests
{
    public static TheoryData<string> Inputs() => ["arm64", "x86_64", "fat", "dylib", "armv7.o", "chained", "encrypted", "oldsdk"];

    private static byte[] Input(string name) => name switch
    {
        "arm64" => TestBinaries.Arm64,
        "x86_64" => TestBinaries.X86_64,
        "fat" => TestBinaries.Fat,
        "dylib" => TestBinaries.Dylib,
        "armv7.o" => ObjectFiles.ArmV7,
        "chained" => ChainedFixupsFixture.Build(TestBinaries.Arm64, [new("_socket", 1), new("_flat", -2)], 2),
        "encrypted" => TestBinaries.Encrypted,
        _ => TestBinaries.OldSdk,
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Forward_only_seekable_and_memory_reads_agree(string name)
    {
        var bytes = Input(name);
        var fromMemory = MachOReader.Read(bytes, name);
        var fromSeekable = MachOReader.Read(new MemoryStream(bytes), name);
        using var forward = new ForwardOnlyStream(new MemoryStream(bytes));
        var fromForward = MachOReader.Read(forward, name);

        fromSeekable.Should().BeEquivalentTo(fromMemory, o => o.WithStrictOrdering());
        fromForward.Should().BeEquivalentTo(fromMemory, o => o.WithStrictOrdering());
        fromMemory.Images.Should().NotBeEmpty();
        forward.BytesRead.Should().BeLessThanOrEqualTo(bytes.Length);
    }

    [Theory]
    [InlineData("arm64")]
    [InlineData("x86_64")]
    public void Forward_only_fat_read_skips_unwanted_slices(string wanted)
    {
        var options = new MachOReadOptions { Architectures = new HashSet<string> { wanted } };
        using var forward = new ForwardOnlyStream(new MemoryStream(TestBinaries.Fat));
        var file = MachOReader.Read(forward, "Fat", options);
        file.Images.Should().ContainSingle().Which.Should().BeEquivalentTo(
            MachOReader.Read(TestBinaries.Fat, "Fat").Images.Single(i => i.Architecture == wanted));
    }

    [Fact]
    public void Deflated_zip_entry_is_read_in_one_forward_pass()
    {
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = archive.CreateEntry("Payload/App.app/App", CompressionLevel.Optimal).Open())
            entry.Write(TestBinaries.Fat);
        zip.Position = 0;
        using var read = new ZipArchive(zip, ZipArchiveMode.Read);
        using var stream = read.GetEntry("Payload/App.app/App")!.Open();
        stream.CanSeek.Should().BeFalse();

        var file = MachOReader.Read(stream, "App.ipa!Payload/App.app/App");
        file.Should().BeEquivalentTo(MachOReader.Read(TestBinaries.Fat, "App.ipa!Payload/App.app/App"), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Big_binary_from_a_forward_only_stream_is_skipped_not_buffered()
    {
        var path = BigBinary.Path;
        var length = new FileInfo(path).Length;
        length.Should().BeGreaterThan(BigBinary.PadBytes);

        using var forward = new ForwardOnlyStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var file = MachOReader.Read(forward, path);
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var image = file.Images.Single();
        image.Strings.Should().Contain(s => s.Value == BigBinary.Url, "__cstring lies after the 150 MB section, so reaching it proves the skip worked");
        image.Imports.Select(i => i.Name).Should().Contain(["_socket", "_puts"]);
        image.Sections.Single(s => s.Name == "__bigpad").Size.Should().Be((ulong)BigBinary.PadBytes);
        forward.BytesRead.Should().BeGreaterThan(BigBinary.PadBytes, "the stream cannot seek, so the padding was read through");
        allocated.Should().BeLessThan(4 * 1024 * 1024, "the reader must not hold the 150 MB it passes over");
        forward.LargestRead.Should().BeLessThanOrEqualTo(128 * 1024);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"forward-only: {length / 1e6:F1} MB in {watch.Elapsed.TotalMilliseconds:F0} ms = {length / 1e6 / watch.Elapsed.TotalSeconds:F0} MB/s, allocated {allocated / 1024} KiB");
    }

    [Fact]
    public void Big_binary_from_a_seekable_file_reads_only_the_ranges_it_needs()
    {
        var path = BigBinary.Path;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var file = MachOReader.ReadFile(path);
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        file.Images.Single().Strings.Should().Contain(s => s.Value == BigBinary.Url);
        allocated.Should().BeLessThan(4 * 1024 * 1024);
        TestContext.Current.TestOutputHelper?.WriteLine($"seekable: {watch.Elapsed.TotalMilliseconds:F1} ms, allocated {allocated / 1024} KiB");
    }

    [Fact]
    public void A_huge_string_section_is_cut_at_the_range_limit_and_reported()
    {
        // Retype __bigpad as S_CSTRING_LITERALS on the fly, so a 150 MB string section has to be read.
        var path = BigBinary.Path;
        var head = new byte[4096];
        using (var f = File.OpenRead(path)) f.ReadExactly(head);
        var nameAt = head.AsSpan().IndexOf("__bigpad"u8); // section_64.sectname
        nameAt.Should().BePositive();
        var flagsAt = nameAt + 64; // section_64.flags

        using var forward = new ForwardOnlyStream(new PatchingStream(File.OpenRead(path), flagsAt, [0x02, 0, 0, 0]));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var image = MachOReader.Read(forward, path, new MachOReadOptions { MaxRangeBytes = 1024 * 1024 }).Images.Single();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        image.Warnings.Should().ContainSingle(w => w.Message.Contains("__TEXT,__bigpad") && w.Message.Contains("only its first 1048576 bytes were read"));
        allocated.Should().BeLessThan(4 * 1024 * 1024);
        image.Strings.Should().Contain(s => s.Value == BigBinary.Url);

        // Unpatched, the section is not a string section and nothing is cut.
        MachOReader.ReadFile(path, new MachOReadOptions { MaxRangeBytes = 1024 * 1024 }).Images.Single().Warnings.Should().BeEmpty();
    }

    /// <summary>Replaces a few bytes at a fixed offset while streaming.</summary>
    private sealed class PatchingStream(Stream inner, long at, byte[] replacement) : Mstg.IO.ReadOnlyStream(inner)
    {
        private long _position;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override int Read(Span<byte> buffer)
        {
            var n = Inner.Read(buffer);
            for (var i = 0; i < replacement.Length; i++)
            {
                var k = at + i - _position;
                if (k >= 0 && k < n) buffer[(int)k] = replacement[i];
            }
            _position += n;
            return n;
        }
    }
}
