using System.Buffers.Binary;

namespace Mstg.Bundles.Zip;

/// <summary>
/// Counts central-directory records before <see cref="System.IO.Compression.ZipArchive"/> sees the file.
/// ZipArchive materialises every record (with its name) in its constructor and only afterwards compares the count
/// with the end record, so a crafted directory of millions of tiny records would cost gigabytes before any limit
/// could apply. This walk costs no memory and stops at <see cref="BundleLimits.MaxEntries"/> + 1. It only guards:
/// anything it cannot make sense of is left for ZipArchive to reject.
/// <para>The same walk refuses entries whose data overlap: legitimate zips never share bytes between entries,
/// while "overlapping" zip bombs point thousands of directory records at one small compressed kernel so that
/// every entry looks modest on its own.</para>
/// </summary>
internal static class ZipDirectoryGuard
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint DirectorySignature = 0x02014b50;
    private const int EndSize = 22;
    private const int DirectoryHeaderSize = 46;
    private const int LocalHeaderSize = 30;

    public static void Check(Stream zip, string source, int maxEntries)
    {
        if (!TryFindDirectory(zip, out var offset, out var size, out var declared)) return;
        if (declared > (ulong)maxEntries)
            throw new BundleFormatException(source, "end of central directory",
                $"declares {declared} entries, more than the {maxEntries} allowed");

        var end = offset + size;
        var position = offset;
        var header = new byte[DirectoryHeaderSize];
        var count = 0;
        var extents = new List<(long Start, long DataEnd)>();
        while (position + DirectoryHeaderSize <= end)
        {
            zip.Position = position;
            if (zip.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) break;
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != DirectorySignature) break;
            if (++count > maxEntries)
                throw new BundleFormatException(source, "central directory",
                    $"holds more than the {maxEntries} entries allowed");
            var compressed = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20));
            var localHeader = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(42));
            // Zip64 records keep the real values in an extra field; those entries are left out of the overlap check.
            if (compressed != uint.MaxValue && localHeader != uint.MaxValue)
                extents.Add((localHeader, localHeader + LocalHeaderSize + (long)compressed));
            position += DirectoryHeaderSize
                + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28))
                + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(30))
                + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(32));
        }
        CheckNoOverlap(extents, source);
    }

    /// <summary>
    /// Each entry occupies at least its 30-byte local header plus its compressed data; the next entry may not start
    /// inside that. (Names and extra fields make the real extent longer, so this errs on the lenient side.)
    /// </summary>
    private static void CheckNoOverlap(List<(long Start, long DataEnd)> extents, string source)
    {
        extents.Sort();
        for (var i = 1; i < extents.Count; i++)
            if (extents[i].Start < extents[i - 1].DataEnd)
                throw new BundleFormatException(source, "central directory",
                    $"entries overlap: the entry at offset {extents[i].Start} starts inside the one at {extents[i - 1].Start} (overlapping-entry zip bomb?)");
    }

    /// <summary>Finds the end record in the last 64 KiB + 22 bytes (its comment is at most 65535 bytes).</summary>
    private static bool TryFindDirectory(Stream zip, out long offset, out long size, out ulong entries)
    {
        offset = size = 0;
        entries = 0;
        var length = zip.Length;
        if (length < EndSize) return false;
        var tailLength = (int)Math.Min(length, EndSize + 0xFFFF);
        var tail = new byte[tailLength];
        zip.Position = length - tailLength;
        if (zip.ReadAtLeast(tail, tailLength, throwOnEndOfStream: false) < tailLength) return false;

        for (var i = tailLength - EndSize; i >= 0; i--)
        {
            var record = tail.AsSpan(i);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != EndSignature) continue;
            entries = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
            size = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
            offset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
            var endPosition = length - tailLength + i;
            if ((entries == 0xFFFF || size == 0xFFFFFFFF || offset == 0xFFFFFFFF)
                && TryReadZip64(zip, endPosition, out var offset64, out var size64, out var entries64))
            {
                (offset, size, entries) = (offset64, size64, entries64);
                return true;
            }
            // No usable zip64 record: ZipArchive then falls back to the 32-bit values, so the guard walks those too
            // (returning early here would let a crafted 0xFFFF count skip the entry and overlap checks).
            if (offset + size > endPosition) size = 0; // nonsense range: nothing to walk, ZipArchive will complain
            return true;
        }
        return false;
    }

    private static bool TryReadZip64(Stream zip, long endPosition, out long offset, out long size, out ulong entries)
    {
        offset = size = 0;
        entries = 0;
        if (endPosition < 20) return false;
        var locator = new byte[20];
        zip.Position = endPosition - 20;
        if (zip.ReadAtLeast(locator, 20, throwOnEndOfStream: false) < 20) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature) return false;
        var recordPosition = BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8));
        if (recordPosition > (ulong)(endPosition - 56)) return false;

        var record = new byte[56];
        zip.Position = (long)recordPosition;
        if (zip.ReadAtLeast(record, 56, throwOnEndOfStream: false) < 56) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature) return false;
        entries = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
        var size64 = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40));
        var offset64 = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48));
        if (size64 > (ulong)endPosition || offset64 > (ulong)endPosition - size64) return false;
        size = (long)size64;
        offset = (long)offset64;
        return true;
    }
}
