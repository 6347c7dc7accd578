using System.Buffers.Binary;

namespace Mstg.MachO.Format;

/// <summary><c>mach_header</c> / <c>mach_header_64</c>: magic, cputype, cpusubtype, filetype, ncmds, sizeofcmds, flags (+ reserved).</summary>
internal sealed record MachHeader(bool Is64, uint CpuType, uint CpuSubtype, uint FileType, uint CommandCount, uint CommandBytes, uint Flags)
{
    public const uint Magic32 = 0xFEEDFACE;
    public const uint Magic64 = 0xFEEDFACF;
    public const int Size64 = 32;

    public int Size => Is64 ? 32 : 28;
    public long CommandsEnd => Size + (long)CommandBytes;

    public static bool IsThinMagic(uint littleEndianMagic) => littleEndianMagic is Magic32 or Magic64;

    /// <summary>Parses and sanity-checks a header; <paramref name="bytes"/> holds at least the first 28 bytes of the slice.</summary>
    public static MachHeader Parse(ReadOnlySpan<byte> bytes, string source, long sliceOffset, long? sliceSize, MachOReadOptions options)
    {
        if (bytes.Length < 4) throw new MachOFormatException(source, sliceOffset, $"file is too short for a Mach-O header ({bytes.Length} bytes)");
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (magic is 0xCEFAEDFE or 0xCFFAEDFE)
            throw new MachOFormatException(source, sliceOffset, "big-endian Mach-O (PowerPC era) is not supported");
        if (!IsThinMagic(magic))
            throw new MachOFormatException(source, sliceOffset, $"not a Mach-O image: magic 0x{magic:x8}");
        var is64 = magic == Magic64;
        var size = is64 ? 32 : 28;
        if (bytes.Length < size)
            throw new MachOFormatException(source, sliceOffset, $"Mach-O header is truncated: {bytes.Length} of {size} bytes");

        var f = new LittleEndianFields(bytes, source, sliceOffset, "mach header");
        var header = new MachHeader(is64, f.U32(4), f.U32(8), f.U32(12), f.U32(16), f.U32(20), f.U32(24));
        if (header.CommandCount > options.MaxLoadCommands)
            throw f.Error(16, $"ncmds {header.CommandCount} exceeds the limit of {options.MaxLoadCommands} load commands");
        if (header.CommandBytes > options.MaxLoadCommandBytes)
            throw f.Error(20, $"sizeofcmds {header.CommandBytes} exceeds the limit of {options.MaxLoadCommandBytes} bytes");
        if ((long)header.CommandCount * 8 > header.CommandBytes)
            throw f.Error(16, $"ncmds {header.CommandCount} cannot fit in sizeofcmds {header.CommandBytes} (8 bytes per command at least)");
        if (sliceSize is { } s && header.CommandsEnd > s)
            throw f.Error(20, $"load commands end at 0x{header.CommandsEnd:x}, past the end of the {(sliceOffset == 0 ? "file" : "slice")} (0x{s:x} bytes)");
        return header;
    }

    public MachOFileType KnownFileType => FileType switch
    {
        1 => MachOFileType.Object,
        2 => MachOFileType.Execute,
        6 => MachOFileType.Dylib,
        8 => MachOFileType.Bundle,
        10 => MachOFileType.Dsym,
        _ => MachOFileType.Other,
    };
}
