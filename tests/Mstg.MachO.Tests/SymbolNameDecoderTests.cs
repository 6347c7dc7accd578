using Mstg.MachO.Imports;

namespace Mstg.MachO.Tests;

/// <summary>A hostile string table cannot make the reader copy one huge run of bytes for every symbol.</summary>
public class SymbolNameDecoderTests
{
    [Fact]
    public void Names_are_cut_at_the_cap_and_shared_by_offset()
    {
        var pool = Enumerable.Repeat((byte)'A', 8 << 20).ToArray(); // 8 MiB, no terminator anywhere
        var decoder = new SymbolNameDecoder();
        var first = decoder.Decode(pool, 10);
        var again = decoder.Decode(pool, 10);
        first.Should().HaveLength(SymbolNameDecoder.MaxNameBytes);
        again.Should().BeSameAs(first);
        decoder.Truncated.Should().Be(1);
    }

    [Fact]
    public void Normal_names_are_read_to_their_terminator_and_an_unterminated_tail_is_reported()
    {
        var pool = "_socket\0_connect\0_tail"u8.ToArray();
        var decoder = new SymbolNameDecoder();
        decoder.Decode(pool, 0).Should().Be("_socket");
        decoder.Decode(pool, 8).Should().Be("_connect");
        decoder.Decode(pool, 17).Should().BeNull("no terminator lies inside the pool");
        decoder.Truncated.Should().Be(0);
    }
}
