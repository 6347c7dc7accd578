using System.Buffers.Binary;

namespace Mstg.Plist.Binary;

/// <summary>
/// The 32-byte trailer that ends every binary plist and says how to find everything else: the width of each entry
/// in the offset table, the width of an object reference, how many objects there are, which one is the root, and
/// where the offset table starts.
/// </summary>
internal readonly record struct BinaryTrailer(int OffsetIntSize, int ObjectRefSize, long ObjectCount, long TopObject, long OffsetTableOffset)
{
    public const int Size = 32;
    public const int HeaderSize = 8;

    /// <summary>Reads and validates the trailer so that every later read can rely on its numbers.</summary>
    public static BinaryTrailer Read(ReadOnlySpan<byte> file, string source, PlistReaderOptions options)
    {
        // Smallest possible file: header, one one-byte object, a one-byte offset table, trailer.
        if (file.Length < HeaderSize + 1 + 1 + Size)
            throw new PlistFormatException(source, PlistPosition.AtByte(file.Length),
                $"binary plist is only {file.Length} bytes, too short to hold a header, an object and the 32-byte trailer");

        long trailerStart = file.Length - Size;
        var t = file[(int)trailerStart..];
        int offsetIntSize = t[6];
        int objectRefSize = t[7];
        ulong objectCount = BinaryPrimitives.ReadUInt64BigEndian(t[8..]);
        ulong topObject = BinaryPrimitives.ReadUInt64BigEndian(t[16..]);
        ulong offsetTableOffset = BinaryPrimitives.ReadUInt64BigEndian(t[24..]);

        PlistFormatException Bad(long field, string problem) =>
            new(source, PlistPosition.AtByte(trailerStart + field), $"bad trailer: {problem}");

        if (offsetIntSize is < 1 or > 8) throw Bad(6, $"offset size {offsetIntSize} is not 1 to 8 bytes");
        if (objectRefSize is < 1 or > 8) throw Bad(7, $"object reference size {objectRefSize} is not 1 to 8 bytes");
        if (objectCount == 0) throw Bad(8, "object count is 0");
        if (objectCount > (ulong)options.MaxObjectCount)
            throw Bad(8, $"object count {objectCount} is more than the limit of {options.MaxObjectCount}");
        if (topObject >= objectCount) throw Bad(16, $"top object #{topObject} is not below the object count {objectCount}");
        if (offsetTableOffset < HeaderSize + 1 || offsetTableOffset >= (ulong)trailerStart)
            throw Bad(24, $"offset table offset 0x{offsetTableOffset:x} is not between the header and the trailer");
        // Checked by division so a huge count cannot overflow the multiplication.
        ulong tableRoom = (ulong)trailerStart - offsetTableOffset;
        if (objectCount > tableRoom / (ulong)offsetIntSize)
            throw Bad(8, $"object count {objectCount} needs {objectCount}×{offsetIntSize} offset-table bytes but only {tableRoom} are there");
        if (objectRefSize < 8 && objectCount - 1 > (1UL << (8 * objectRefSize)) - 1)
            throw Bad(7, $"object count {objectCount} cannot be addressed with {objectRefSize}-byte references");

        return new BinaryTrailer(offsetIntSize, objectRefSize, (long)objectCount, (long)topObject, (long)offsetTableOffset);
    }
}
