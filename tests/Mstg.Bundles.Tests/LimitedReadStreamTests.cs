using Mstg.Bundles.Sources;

namespace Mstg.Bundles.Tests;

/// <summary>
/// The streaming checks on their own. Through a real zip most of them cannot trigger (ZipArchive already stops at
/// the declared size), so they are driven here with an inner stream that produces more than its "header" says.
/// </summary>
public sealed class LimitedReadStreamTests
{
    private static readonly byte[] Data = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();

    private static ReadLimits Unlimited => new(MaxSize: -1, DeclaredSize: -1, CompressedSize: -1, MaxRatio: 0, MinSizeForRatio: 0);

    private static LimitedReadStream Over(byte[] data, ReadLimits limits, SizeBudget? budget = null, int slot = 0) =>
        new(new NonSeekable(data), "test.ipa", "Payload/A.app/x", limits, budget, slot);

    private static long Drain(Stream stream)
    {
        var buffer = new byte[777];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0) total += read;
        return total;
    }

    [Fact]
    public void Within_every_limit_the_data_passes_unchanged()
    {
        using var stream = Over(Data, new ReadLimits(10_000, 10_000, 100, 100, 0, System.IO.Hashing.Crc32.HashToUInt32(Data)));
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.ToArray().Should().Equal(Data);
    }

    [Fact]
    public void Entry_size_limit_stops_the_read()
    {
        var read = () => Drain(Over(Data, Unlimited with { MaxSize = 9_999 }));
        read.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("9999-byte entry size limit");
    }

    [Fact]
    public void More_data_than_declared_stops_the_read()
    {
        var read = () => Drain(Over(Data, Unlimited with { DeclaredSize = 5_000 }));
        read.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("more data than the 5000 bytes");
    }

    [Fact]
    public void Less_data_than_declared_fails_at_the_end()
    {
        var read = () => Drain(Over(Data, Unlimited with { DeclaredSize = 20_000 }));
        read.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("ends after 10000");
    }

    [Fact]
    public void Actual_ratio_over_the_limit_stops_the_read()
    {
        var read = () => Drain(Over(Data, Unlimited with { CompressedSize = 10, MaxRatio = 500, MinSizeForRatio = 1_000 }));
        read.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("500:1 ratio limit");
        Drain(Over(Data, Unlimited with { CompressedSize = 10, MaxRatio = 1_000, MinSizeForRatio = 1_000 })).Should().Be(10_000);
    }

    [Fact]
    public void Small_entries_are_not_ratio_checked()
    {
        Drain(Over(Data, Unlimited with { CompressedSize = 1, MaxRatio = 10, MinSizeForRatio = 20_000 })).Should().Be(10_000);
    }

    [Fact]
    public void Wrong_crc_fails_at_the_end_and_right_crc_passes()
    {
        var right = System.IO.Hashing.Crc32.HashToUInt32(Data);
        Drain(Over(Data, Unlimited with { ExpectedCrc = right })).Should().Be(10_000);
        var read = () => Drain(Over(Data, Unlimited with { ExpectedCrc = right ^ 1 }));
        read.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("CRC-32");
    }

    [Fact]
    public void Crc_check_uses_zips_crc32_variant_across_reads()
    {
        // 0xCBF43926 is the check value of CRC-32/ISO-HDLC (the one zip uses) for "123456789"; Drain reads in
        // 777-byte chunks, so the digest must carry over between reads.
        var check = "123456789"u8.ToArray();
        Drain(Over(check, Unlimited with { ExpectedCrc = 0xCBF43926 })).Should().Be(9);
        var wrong = () => Drain(Over(check, Unlimited with { ExpectedCrc = 0xCBF43927 }));
        wrong.Should().Throw<BundleFormatException>();
        Drain(Over(Data, Unlimited with { ExpectedCrc = System.IO.Hashing.Crc32.HashToUInt32(Data) })).Should().Be(10_000);
    }

    [Fact]
    public void Total_budget_counts_each_file_once_across_streams()
    {
        var budget = new SizeBudget("test.ipa", 25_000, slots: 3);
        Drain(Over(Data, Unlimited, budget, slot: 0));
        Drain(Over(Data, Unlimited, budget, slot: 0)); // the same file again costs nothing
        Drain(Over(Data, Unlimited, budget, slot: 1));
        var third = () => Drain(Over(Data, Unlimited, budget, slot: 2));
        third.Should().Throw<BundleFormatException>().Which.Problem.Should().Contain("25000-byte total size limit");
    }

    [Fact]
    public void Failures_of_the_inner_stream_become_bundle_format_errors()
    {
        using var stream = new LimitedReadStream(new Failing(), "test.ipa", "Payload/A.app/x", Unlimited, null, 0);
        var read = () => stream.ReadByte();
        var error = read.Should().Throw<BundleFormatException>().Which;
        error.Place.Should().Be("entry Payload/A.app/x");
        error.InnerException.Should().BeOfType<InvalidDataException>();
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    private sealed class Failing : MemoryStream
    {
        public override int Read(Span<byte> buffer) => throw new InvalidDataException("bad deflate block");
    }
}
