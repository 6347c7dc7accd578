using System.Buffers.Binary;
using System.Text;

namespace Mstg.MachO.Imports;

/// <summary>
/// Reads <c>nlist</c> / <c>nlist_64</c> entries (n_strx u32, n_type u8, n_sect u8, n_desc u16, n_value u32/u64).
/// Undefined external symbols are imports; in a two-level namespace image the high byte of n_desc is the
/// library ordinal (0 self, 0xFE dynamic lookup, 0xFF main executable).
/// </summary>
internal static class SymbolTableReader
{
    private const byte StabMask = 0xE0;
    private const byte TypeMask = 0x0E;
    private const byte Undefined = 0x0;
    private const byte External = 0x01;
    private const ushort WeakReference = 0x0040;
    private const int DynamicLookupOrdinal = 0xFE;
    private const int ExecutableOrdinal = 0xFF;

    public static int EntrySize(bool is64) => is64 ? 16 : 12;

    public static List<MachOSymbol> Read(ReadOnlySpan<byte> entries, ReadOnlySpan<byte> strings, bool is64, bool twoLevel,
        LibraryOrdinals ordinals, ImportCollector imports, ICollection<MachOWarning> warnings, string owner)
    {
        var size = EntrySize(is64);
        var count = entries.Length / size;
        var symbols = new List<MachOSymbol>(Math.Min(count, 65536));
        var badNames = 0;
        var names = new SymbolNameDecoder();
        for (var i = 0; i < count; i++)
        {
            var e = entries.Slice(i * size, size);
            var strx = BinaryPrimitives.ReadUInt32LittleEndian(e);
            var type = e[4];
            var desc = BinaryPrimitives.ReadUInt16LittleEndian(e[6..]);
            var value = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(e[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
            if ((type & StabMask) != 0) continue; // debugger entries, not symbols

            if (strx >= strings.Length) { badNames++; continue; }
            // An unterminated name at the very end of the table is read to the end, as before.
            var name = names.Decode(strings, strx) ?? Encoding.UTF8.GetString(strings[(int)strx..]);
            var isExternal = (type & External) != 0;
            var isUndefined = (type & TypeMask) == Undefined;
            symbols.Add(new MachOSymbol(name, isExternal, isUndefined, value));

            // An undefined entry with a value is a common (tentative) definition, not an import.
            if (!isUndefined || !isExternal || value != 0 || name.Length == 0) continue;
            var rawOrdinal = desc >> 8;
            var ordinal = !twoLevel ? LibraryOrdinals.FlatLookup : rawOrdinal switch
            {
                DynamicLookupOrdinal => LibraryOrdinals.FlatLookup,
                ExecutableOrdinal => LibraryOrdinals.MainExecutable,
                _ => rawOrdinal,
            };
            var library = ordinals.Resolve(ordinal, name, owner);
            imports.Add(new ImportedSymbol(name, library, (desc & WeakReference) != 0, "LC_SYMTAB") { LibraryOrdinal = ordinal });
        }
        if (names.Truncated > 0) warnings.Add(new(MachOWarningKind.SymbolNameCut, $"{owner}: {names.Truncated} symbol names longer than {SymbolNameDecoder.MaxNameBytes} bytes were cut"));
        if (badNames > 0) warnings.Add(new(MachOWarningKind.SymbolNameOutOfRange, $"{owner}: {badNames} symbols have a name index outside the {strings.Length}-byte string table and were skipped"));
        return symbols;
    }
}
