namespace Mstg.Bundles.Sources;

/// <summary>
/// CRC-32 as zip uses it (IEEE 802.3, reflected polynomial 0xEDB88320). ZipArchive stops inflating at the size a
/// header declares without complaint, so a header that understates the size silently truncates the entry; checking
/// the stored CRC at the end of the stream turns that into an error instead of a quietly wrong analysis.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var value = ~crc;
        foreach (var b in data) value = Table[(value ^ b) & 0xFF] ^ (value >> 8);
        return ~value;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var value = i;
            for (var bit = 0; bit < 8; bit++) value = (value & 1) != 0 ? 0xEDB88320 ^ (value >> 1) : value >> 1;
            table[i] = value;
        }
        return table;
    }
}
