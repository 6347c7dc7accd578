using System.Text;

namespace Mstg.MachO.Imports;

/// <summary>One symbol named by a bind stream with the ordinal and flags in force when it was bound.</summary>
internal readonly record struct BoundSymbol(string Name, int Ordinal, bool WeakImport, bool NonWeakDefinition);

/// <summary>
/// Interprets the dyld bind opcode streams of LC_DYLD_INFO(_ONLY) (bind, weak bind, lazy bind) far enough
/// to learn which symbols are bound from which library. Addresses are not computed: a repeat count such as
/// BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB yields the symbol once, so the work is linear in the
/// stream length and a hostile count cannot make it loop.
/// </summary>
internal static class BindOpcodeReader
{
    private const byte OpcodeMask = 0xF0;
    private const byte ImmediateMask = 0x0F;
    private const byte Done = 0x00;
    private const byte SetDylibOrdinalImm = 0x10;
    private const byte SetDylibOrdinalUleb = 0x20;
    private const byte SetDylibSpecialImm = 0x30;
    private const byte SetSymbolTrailingFlagsImm = 0x40;
    private const byte SetTypeImm = 0x50;
    private const byte SetAddendSleb = 0x60;
    private const byte SetSegmentAndOffsetUleb = 0x70;
    private const byte AddAddrUleb = 0x80;
    private const byte DoBind = 0x90;
    private const byte DoBindAddAddrUleb = 0xA0;
    private const byte DoBindAddAddrImmScaled = 0xB0;
    private const byte DoBindUlebTimesSkippingUleb = 0xC0;
    private const byte Threaded = 0xD0;
    private const byte ThreadedSetBindOrdinalTableSizeUleb = 0x00;
    private const byte ThreadedApply = 0x01;
    private const byte WeakImportFlag = 0x1;
    private const byte NonWeakDefinitionFlag = 0x8;

    /// <param name="lazy">Lazy bind streams separate entries with BIND_OPCODE_DONE, so DONE does not end them.</param>
    /// <param name="fileOffset">Absolute offset of the stream, for error messages.</param>
    public static List<BoundSymbol> Read(ReadOnlySpan<byte> stream, bool lazy, string source, long fileOffset, string what)
    {
        var result = new List<BoundSymbol>();
        var seen = new HashSet<BoundSymbol>();
        var ordinal = 0;
        string? symbol = null;
        var flags = 0;
        var p = 0;
        while (p < stream.Length)
        {
            var at = p;
            var b = stream[p++];
            var imm = b & ImmediateMask;
            switch ((byte)(b & OpcodeMask))
            {
                case Done:
                    if (!lazy) return result;
                    break;
                case SetDylibOrdinalImm:
                    ordinal = imm;
                    break;
                case SetDylibOrdinalUleb:
                    var raw = Leb128.ReadUnsigned(stream, ref p, source, fileOffset, what);
                    if (raw > int.MaxValue) throw new MachOFormatException(source, fileOffset + at, $"{what}: library ordinal {raw} is out of range");
                    ordinal = (int)raw;
                    break;
                case SetDylibSpecialImm:
                    // The immediate is a 4-bit negative number (0xF = -1 main executable, 0xE = -2 flat, 0xD = -3 weak).
                    ordinal = imm == 0 ? 0 : (sbyte)(0xF0 | imm);
                    break;
                case SetSymbolTrailingFlagsImm:
                    flags = imm;
                    symbol = ReadName(stream, ref p, source, fileOffset, what);
                    break;
                case SetTypeImm:
                    break;
                case SetAddendSleb:
                    Leb128.ReadSigned(stream, ref p, source, fileOffset, what);
                    break;
                case SetSegmentAndOffsetUleb:
                case AddAddrUleb:
                    Leb128.ReadUnsigned(stream, ref p, source, fileOffset, what);
                    break;
                case DoBind:
                case DoBindAddAddrImmScaled:
                    Record();
                    break;
                case DoBindAddAddrUleb:
                    Leb128.ReadUnsigned(stream, ref p, source, fileOffset, what);
                    Record();
                    break;
                case DoBindUlebTimesSkippingUleb:
                    Leb128.ReadUnsigned(stream, ref p, source, fileOffset, what);
                    Leb128.ReadUnsigned(stream, ref p, source, fileOffset, what);
                    Record();
                    break;
                case Threaded:
                    if (imm == ThreadedSetBindOrdinalTableSizeUleb) Leb128.ReadUnsigned(stream, ref p, source, fileOffset, what);
                    else if (imm != ThreadedApply)
                        throw new MachOFormatException(source, fileOffset + at, $"{what}: unknown threaded bind sub-opcode 0x{b:x2}");
                    break;
                default:
                    throw new MachOFormatException(source, fileOffset + at, $"{what}: unknown bind opcode 0x{b:x2} at stream offset {at}");
            }
        }
        return result;

        void Record()
        {
            if (symbol is null) return;
            var bound = new BoundSymbol(symbol, ordinal, (flags & WeakImportFlag) != 0, (flags & NonWeakDefinitionFlag) != 0);
            if (seen.Add(bound)) result.Add(bound);
        }
    }

    private static string ReadName(ReadOnlySpan<byte> stream, ref int p, string source, long fileOffset, string what)
    {
        var nul = stream[p..].IndexOf((byte)0);
        if (nul < 0) throw new MachOFormatException(source, fileOffset + p, $"{what}: symbol name is not NUL-terminated before the end of the stream");
        var name = Encoding.UTF8.GetString(stream.Slice(p, nul));
        p += nul + 1;
        return name;
    }
}

/// <summary>LEB128 numbers as dyld writes them, refusing encodings that overflow 64 bits or run past the stream.</summary>
internal static class Leb128
{
    public static ulong ReadUnsigned(ReadOnlySpan<byte> stream, ref int p, string source, long fileOffset, string what)
    {
        var start = p;
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            if (p >= stream.Length) throw new MachOFormatException(source, fileOffset + start, $"{what}: ULEB128 runs past the end of the stream");
            var b = stream[p++];
            var bits = (ulong)(b & 0x7F);
            if (shift >= 64 || (shift == 63 && bits > 1))
                throw new MachOFormatException(source, fileOffset + start, $"{what}: ULEB128 overflows 64 bits");
            value |= bits << shift;
            shift += 7;
            if ((b & 0x80) == 0) return value;
        }
    }

    public static long ReadSigned(ReadOnlySpan<byte> stream, ref int p, string source, long fileOffset, string what)
    {
        var start = p;
        long value = 0;
        var shift = 0;
        byte b;
        do
        {
            if (p >= stream.Length) throw new MachOFormatException(source, fileOffset + start, $"{what}: SLEB128 runs past the end of the stream");
            if (shift >= 64) throw new MachOFormatException(source, fileOffset + start, $"{what}: SLEB128 overflows 64 bits");
            b = stream[p++];
            value |= (long)(b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) value |= -1L << shift;
        return value;
    }
}
