using System.Buffers.Binary;
using System.Text;

namespace Mstg.MachO.Tests.Support;

/// <summary>One import for the hand-built chained fixups table.</summary>
public sealed record ChainedImportSpec(string Name, int Ordinal, bool Weak = false, long Addend = 0);

/// <summary>
/// lld-14 cannot write LC_DYLD_CHAINED_FIXUPS, so this turns a clang-built arm64 executable into one that has it:
/// the fixups blob (laid out per Apple's mach-o/fixup-chains.h) is appended to the file, a 16-byte
/// <c>linkedit_data_command</c> goes into the zero padding lld leaves after the load commands, and the bind
/// streams of LC_DYLD_INFO_ONLY are emptied so the imports can only come from the new table (as on iOS 15+ builds).
/// </summary>
public static class ChainedFixupsFixture
{
    public const uint LcDyldChainedFixups = 0x80000034;
    private const uint LcDyldInfoOnly = 0x80000022;

    /// <summary>dyld_chained_fixups_header fields, for tests that corrupt one of them.</summary>
    public sealed record Header(uint Version = 0, uint? ImportsFormat = null, uint SymbolsFormat = 0, uint? ImportsCountOverride = null, uint? NameOffsetOverride = null);

    public static byte[] Build(byte[] executable, IReadOnlyList<ChainedImportSpec> imports, uint importsFormat, Header? header = null)
    {
        header ??= new Header();
        var blob = Blob(imports, importsFormat, header);
        var span = executable.AsSpan();
        var ncmds = BinaryPrimitives.ReadUInt32LittleEndian(span[16..]);
        var sizeofcmds = BinaryPrimitives.ReadUInt32LittleEndian(span[20..]);
        var commandsEnd = 32 + (int)sizeofcmds;
        var padding = span.Slice(commandsEnd, 16);
        if (padding.IndexOfAnyExcept((byte)0) >= 0) throw new InvalidOperationException("No 16 spare header bytes after the load commands.");

        var dataOffset = (executable.Length + 7) & ~7;
        var result = new byte[dataOffset + blob.Length];
        executable.CopyTo(result, 0);
        blob.CopyTo(result, dataOffset);
        var r = result.AsSpan();

        // Empty the classic bind streams (bind, weak bind, lazy bind sizes at +20, +28, +36 of dyld_info_command).
        var offset = 32;
        for (var i = 0; i < ncmds; i++)
        {
            var cmd = BinaryPrimitives.ReadUInt32LittleEndian(r[offset..]);
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(r[(offset + 4)..]);
            if (cmd == LcDyldInfoOnly)
                foreach (var field in new[] { 20, 28, 36 })
                    BinaryPrimitives.WriteUInt32LittleEndian(r[(offset + field)..], 0);
            offset += size;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(r[commandsEnd..], LcDyldChainedFixups);
        BinaryPrimitives.WriteUInt32LittleEndian(r[(commandsEnd + 4)..], 16);
        BinaryPrimitives.WriteUInt32LittleEndian(r[(commandsEnd + 8)..], (uint)dataOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(r[(commandsEnd + 12)..], (uint)blob.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(r[16..], ncmds + 1);
        BinaryPrimitives.WriteUInt32LittleEndian(r[20..], sizeofcmds + 16);
        return result;
    }

    /// <summary>dyld_chained_fixups_header, dyld_chained_starts_in_image, the imports table, then the symbol pool.</summary>
    private static byte[] Blob(IReadOnlyList<ChainedImportSpec> imports, uint importsFormat, Header header)
    {
        const int startsOffset = 32; // after the 28-byte header, 8-aligned
        const int segCount = 5;
        var entrySize = importsFormat switch { 1 => 4, 2 => 8, 3 => 16, _ => 4 };
        var importsOffset = Align(startsOffset + 4 + segCount * 4, importsFormat == 3 ? 8 : 4);
        var symbolsOffset = importsOffset + imports.Count * entrySize;

        var pool = new MemoryStream();
        pool.WriteByte(0); // offset 0 is the empty name, as ld64 writes it
        var nameOffsets = new List<uint>();
        foreach (var import in imports)
        {
            nameOffsets.Add((uint)pool.Length);
            pool.Write(Encoding.UTF8.GetBytes(import.Name));
            pool.WriteByte(0);
        }

        var blob = new byte[Align(symbolsOffset + (int)pool.Length, 8)];
        var b = blob.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(b, header.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], startsOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], (uint)importsOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(b[12..], (uint)symbolsOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(b[16..], header.ImportsCountOverride ?? (uint)imports.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(b[20..], header.ImportsFormat ?? importsFormat);
        BinaryPrimitives.WriteUInt32LittleEndian(b[24..], header.SymbolsFormat);
        // starts_in_image: every segment offset 0 = no fixup chains in that segment; the imports table is what matters here.
        BinaryPrimitives.WriteUInt32LittleEndian(b[startsOffset..], segCount);

        for (var i = 0; i < imports.Count; i++)
        {
            var at = b[(importsOffset + i * entrySize)..];
            var import = imports[i];
            var nameOffset = header.NameOffsetOverride ?? nameOffsets[i];
            if (importsFormat == 3)
            {
                // lib_ordinal:16, weak_import:1, reserved:15, name_offset:32; then uint64 addend
                var raw = (ulong)(ushort)(short)import.Ordinal | (import.Weak ? 1UL << 16 : 0) | ((ulong)nameOffset << 32);
                BinaryPrimitives.WriteUInt64LittleEndian(at, raw);
                BinaryPrimitives.WriteInt64LittleEndian(at[8..], import.Addend);
            }
            else
            {
                // lib_ordinal:8, weak_import:1, name_offset:23 (+ int32 addend for format 2)
                var raw = (uint)(byte)(sbyte)import.Ordinal | (import.Weak ? 1u << 8 : 0) | (nameOffset << 9);
                BinaryPrimitives.WriteUInt32LittleEndian(at, raw);
                if (importsFormat == 2) BinaryPrimitives.WriteInt32LittleEndian(at[4..], (int)import.Addend);
            }
        }
        pool.ToArray().CopyTo(blob, symbolsOffset);
        return blob;
    }

    private static int Align(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}
