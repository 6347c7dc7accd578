using System.Buffers.Binary;
using Mstg.MachO.IO;

namespace Mstg.MachO.Format;

/// <summary>One slice listed in a fat header.</summary>
internal sealed record FatArch(int Index, uint CpuType, uint CpuSubtype, long Offset, long Size)
{
    public string Architecture => CpuNames.Of(CpuType, CpuSubtype);
    public long End => Offset + Size;
}

/// <summary>
/// The big-endian <c>fat_header</c> (magic, nfat_arch) followed by <c>fat_arch</c> entries (cputype, cpusubtype,
/// offset, size, align; five uint32) or, with FAT_MAGIC_64, <c>fat_arch_64</c> (offset and size as uint64, plus
/// a reserved uint32; 32 bytes). Slices must lie after the table, inside the file, and must not overlap.
/// </summary>
internal static class FatHeader
{
    public const uint Magic32 = 0xCAFEBABE;
    public const uint Magic64 = 0xCAFEBABF;

    public static IReadOnlyList<FatArch> Parse(ByteSource input, ReadOnlyMemory<byte> head, MachOReadOptions options)
    {
        var source = input.Source;
        if (head.Length < 8) throw new MachOFormatException(source, 0, "fat header is truncated");
        var is64 = BinaryPrimitives.ReadUInt32BigEndian(head.Span) == Magic64;
        var count = BinaryPrimitives.ReadUInt32BigEndian(head.Span[4..]);
        if (count == 0) throw new MachOFormatException(source, 4, "fat header lists no architectures");
        if (count > options.MaxFatArchitectures)
            throw new MachOFormatException(source, 4,
                $"fat header lists {count} architectures, more than the limit of {options.MaxFatArchitectures} (a Java class file shares the 0xCAFEBABE magic)");
        var entrySize = is64 ? 32 : 20;
        var tableEnd = 8 + (int)count * entrySize;
        var table = input.Read(0, tableEnd, $"fat header table of {count} architectures").Span;

        var arches = new List<FatArch>();
        for (var i = 0; i < count; i++)
        {
            var e = table.Slice(8 + i * entrySize, entrySize);
            var cpuType = BinaryPrimitives.ReadUInt32BigEndian(e);
            var cpuSubtype = BinaryPrimitives.ReadUInt32BigEndian(e[4..]);
            var offset = is64 ? BinaryPrimitives.ReadUInt64BigEndian(e[8..]) : BinaryPrimitives.ReadUInt32BigEndian(e[8..]);
            var size = is64 ? BinaryPrimitives.ReadUInt64BigEndian(e[16..]) : BinaryPrimitives.ReadUInt32BigEndian(e[12..]);
            var at = 8 + i * entrySize;
            var name = $"fat arch {i} ({CpuNames.Of(cpuType, cpuSubtype)})";
            if (size == 0) throw new MachOFormatException(source, at, $"{name} has size 0");
            if (offset < (ulong)tableEnd)
                throw new MachOFormatException(source, at, $"{name} starts at 0x{offset:x}, inside the fat header (which ends at 0x{tableEnd:x})");
            if (offset > long.MaxValue / 2 || size > long.MaxValue / 2 || (input.Length is { } length && offset + size > (ulong)length))
                throw new MachOFormatException(source, at, $"{name} (0x{offset:x}+0x{size:x}) points past end of file{(input.Length is { } l ? $" (0x{l:x} bytes)" : "")}");
            arches.Add(new FatArch(i, cpuType, cpuSubtype, (long)offset, (long)size));
        }

        var ordered = arches.OrderBy(a => a.Offset).ToList();
        for (var i = 1; i < ordered.Count; i++)
            if (ordered[i].Offset < ordered[i - 1].End)
                throw new MachOFormatException(source, 8 + ordered[i].Index * entrySize,
                    $"fat arch {ordered[i].Index} ({ordered[i].Architecture}) overlaps fat arch {ordered[i - 1].Index} ({ordered[i - 1].Architecture})");
        return arches;
    }
}
