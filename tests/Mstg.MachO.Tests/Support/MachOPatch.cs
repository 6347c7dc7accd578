using System.Buffers.Binary;

namespace Mstg.MachO.Tests.Support;

/// <summary>Locates load commands in a thin 64-bit image so tests can corrupt one precise field.</summary>
public static class MachOPatch
{
    public const uint LcSymtab = 0x2;
    public const uint LcDyldInfoOnly = 0x80000022;
    public const uint LcSegment64 = 0x19;

    /// <summary>File offset of the first load command with number <paramref name="cmd"/>, and its index.</summary>
    public static (int Offset, int Index) Find(byte[] image, uint cmd)
    {
        var ncmds = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(16));
        var offset = 32;
        for (var i = 0; i < ncmds; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(offset)) == cmd) return (offset, i);
            offset += (int)BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(offset + 4));
        }
        throw new InvalidOperationException($"No load command 0x{cmd:x}.");
    }

    public static uint U32(byte[] image, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(offset));

    public static byte[] WithU32(byte[] image, int offset, uint value)
    {
        var copy = (byte[])image.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    /// <summary>Replaces the lazy bind stream with <paramref name="opcodes"/> (the rest of its bytes become BIND_OPCODE_DONE).</summary>
    public static byte[] WithLazyBindStream(byte[] image, byte[] opcodes)
    {
        var (cmd, _) = Find(image, LcDyldInfoOnly);
        var off = (int)U32(image, cmd + 32);
        var size = (int)U32(image, cmd + 36);
        if (opcodes.Length > size) throw new InvalidOperationException($"Lazy bind stream holds only {size} bytes.");
        var copy = (byte[])image.Clone();
        copy.AsSpan(off, size).Clear();
        opcodes.CopyTo(copy, off);
        return copy;
    }
}
