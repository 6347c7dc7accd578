using System.Text;
using Mstg.MachO.Format;

namespace Mstg.MachO.Imports;

/// <summary>One entry of the chained-fixups imports table.</summary>
internal readonly record struct ChainedImport(string Name, int Ordinal, bool WeakImport);

/// <summary>
/// Reads the imports table of an LC_DYLD_CHAINED_FIXUPS blob (layout from Apple's <c>mach-o/fixup-chains.h</c>):
/// a <c>dyld_chained_fixups_header</c> (fixups_version, starts_offset, imports_offset, symbols_offset,
/// imports_count, imports_format, symbols_format; seven uint32), then the imports in one of three formats
/// and a pool of NUL-terminated names. The pointer chains themselves are not walked: which symbols are
/// imported, and from where, is all in the table.
/// </summary>
internal static class ChainedFixupsReader
{
    private const int HeaderSize = 28;
    private const uint ImportFormat = 1;        // dyld_chained_import: lib_ordinal:8, weak_import:1, name_offset:23
    private const uint ImportAddendFormat = 2;  // dyld_chained_import_addend: the same uint32 + int32 addend
    private const uint ImportAddend64Format = 3; // dyld_chained_import_addend64: lib_ordinal:16, weak_import:1, reserved:15, name_offset:32; uint64 addend
    private const uint UncompressedSymbols = 0;

    public static List<ChainedImport> Read(ReadOnlySpan<byte> blob, string source, long fileOffset, string owner, int maxImports, ICollection<MachOWarning> warnings)
    {
        var f = new LittleEndianFields(blob, source, fileOffset, $"{owner} chained fixups header");
        if (blob.Length < HeaderSize) throw f.Error(0, $"{owner} chained fixups data is {blob.Length} bytes, smaller than its {HeaderSize}-byte header");
        var version = f.U32(0);
        var startsOffset = f.U32(4);
        var importsOffset = f.U32(8);
        var symbolsOffset = f.U32(12);
        var importsCount = f.U32(16);
        var importsFormat = f.U32(20);
        var symbolsFormat = f.U32(24);

        if (version != 0) throw f.Error(0, $"{owner} chained fixups version {version} is not supported (only 0 exists)");
        CheckStarts(f, blob.Length, startsOffset, owner);
        var entrySize = importsFormat switch
        {
            ImportFormat => 4,
            ImportAddendFormat => 8,
            ImportAddend64Format => 16,
            _ => throw f.Error(20, $"{owner} chained fixups imports_format {importsFormat} is unknown (1, 2 or 3 expected)"),
        };
        if (importsOffset > blob.Length || (long)importsCount * entrySize > blob.Length - importsOffset)
            throw f.Error(8, $"{owner} chained fixups imports table ({importsCount} x {entrySize} bytes at {importsOffset}) runs past the {blob.Length}-byte blob");
        if (symbolsOffset > blob.Length)
            throw f.Error(12, $"{owner} chained fixups symbols_offset {symbolsOffset} lies past the {blob.Length}-byte blob");

        var result = new List<ChainedImport>();
        if (symbolsFormat != UncompressedSymbols)
        {
            warnings.Add(new(MachOWarningKind.ChainedNamesCompressed, $"{owner}: chained fixups symbol names are compressed (symbols_format {symbolsFormat}); imports not read"));
            return result;
        }
        var count = importsCount;
        if (count > maxImports)
        {
            warnings.Add(new(MachOWarningKind.ChainedImportLimit, $"{owner}: {importsCount} chained imports exceed the limit of {maxImports}; the rest were skipped"));
            count = (uint)maxImports;
        }

        var pool = blob[(int)symbolsOffset..];
        var table = new LittleEndianFields(blob, source, fileOffset, $"{owner} chained imports");
        var names = new SymbolNameDecoder();
        for (var i = 0; i < count; i++)
        {
            var at = (int)importsOffset + i * entrySize;
            int ordinal;
            bool weak;
            ulong nameOffset;
            if (importsFormat == ImportAddend64Format)
            {
                var raw = table.U64(at);
                var ord16 = (ushort)(raw & 0xFFFF);
                // Ordinals from 0xFFF0 up are the negative special values (-1 main, -2 flat, -3 weak lookup).
                ordinal = ord16 >= 0xFFF0 ? (short)ord16 : ord16;
                weak = ((raw >> 16) & 1) != 0;
                nameOffset = raw >> 32;
            }
            else
            {
                var raw = table.U32(at);
                var ord8 = (byte)(raw & 0xFF);
                ordinal = ord8 >= 0xF0 ? (sbyte)ord8 : ord8;
                weak = ((raw >> 8) & 1) != 0;
                nameOffset = raw >> 9;
            }
            if (nameOffset >= (ulong)pool.Length)
                throw table.Error(at, $"{owner} chained import {i}: name_offset {nameOffset} lies outside the {pool.Length}-byte symbol pool");
            var name = names.Decode(pool, (uint)nameOffset)
                ?? throw table.Error(at, $"{owner} chained import {i}: name is not NUL-terminated inside the symbol pool");
            result.Add(new ChainedImport(name, ordinal, weak));
        }
        if (names.Truncated > 0) warnings.Add(new(MachOWarningKind.SymbolNameCut, $"{owner}: {names.Truncated} chained import names longer than {SymbolNameDecoder.MaxNameBytes} bytes were cut"));
        return result;
    }

    /// <summary>dyld_chained_starts_in_image: seg_count then seg_count uint32 offsets; checked so a bad blob is named, not misread.</summary>
    private static void CheckStarts(LittleEndianFields f, int blobLength, uint startsOffset, string owner)
    {
        if (startsOffset == 0) return;
        if ((long)startsOffset + 4 > blobLength)
            throw f.Error(4, $"{owner} chained fixups starts_offset {startsOffset} lies past the {blobLength}-byte blob");
        var segCount = f.U32((int)startsOffset);
        if ((long)startsOffset + 4 + (long)segCount * 4 > blobLength)
            throw f.Error(startsOffset, $"{owner} chained fixups starts_in_image lists {segCount} segments that do not fit in the blob");
    }
}
