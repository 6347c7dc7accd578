using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Mstg.Plist.Tests.Binary;

/// <summary>
/// Test-only binary plist encoder. Objects are added one by one and refer to each other by index, so tests can
/// build exactly the bytes they need: sets, UIDs, 16-byte ints, UTF-16 strings (which plistutil's XML input cannot
/// express), and also broken files (cycles, bad references, lying counts, a patched trailer).
/// </summary>
internal sealed class BplistBuilder
{
    private readonly List<byte[]> _objects = [];

    public int RefSize { get; set; } = 1;
    public int NextIndex => _objects.Count;

    public int Raw(params byte[] encoded)
    {
        _objects.Add(encoded);
        return _objects.Count - 1;
    }

    public int Bool(bool value) => Raw(value ? (byte)0x09 : (byte)0x08);

    /// <summary>An integer written in exactly <paramref name="size"/> bytes (1, 2, 4, 8 or 16), big-endian two's complement.</summary>
    public int Int(BigInteger value, int size = 8)
    {
        var bytes = new byte[1 + size];
        bytes[0] = (byte)(0x10 | BitOperations.Log2((uint)size));
        var magnitude = value.ToByteArray(isUnsigned: false, isBigEndian: true);
        byte fill = value.Sign < 0 ? (byte)0xFF : (byte)0;
        for (int i = 1; i <= size; i++) bytes[i] = fill;
        // Keep only the low 'size' bytes: an 8-byte unsigned value like 0x80.. is written as its two's complement bits.
        int take = Math.Min(size, magnitude.Length);
        System.Array.Copy(magnitude, magnitude.Length - take, bytes, 1 + size - take, take);
        return Raw(bytes);
    }

    public int Real(double value) { var b = new byte[9]; b[0] = 0x23; BinaryPrimitives.WriteDoubleBigEndian(b.AsSpan(1), value); return Raw(b); }
    public int Real32(float value) { var b = new byte[5]; b[0] = 0x22; BinaryPrimitives.WriteSingleBigEndian(b.AsSpan(1), value); return Raw(b); }

    public int Date(DateTimeOffset value)
    {
        var b = new byte[9];
        b[0] = 0x33;
        BinaryPrimitives.WriteDoubleBigEndian(b.AsSpan(1), (value - new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds);
        return Raw(b);
    }

    public int Data(byte[] value) => Raw([.. Marker(0x4, value.Length), .. value]);
    public int Ascii(string value) => Raw([.. Marker(0x5, value.Length), .. Encoding.ASCII.GetBytes(value)]);
    public int Utf16(string value) => Raw([.. Marker(0x6, value.Length), .. Encoding.BigEndianUnicode.GetBytes(value)]);
    public int Utf8(string value) { var b = Encoding.UTF8.GetBytes(value); return Raw([.. Marker(0x7, b.Length), .. b]); }

    public int Uid(ulong value, int size)
    {
        var b = new byte[1 + size];
        b[0] = (byte)(0x80 | (size - 1));
        for (int i = 0; i < Math.Min(size, 8); i++) b[size - i] = (byte)(value >> (8 * i));
        return Raw(b);
    }

    public int Str(string value) => value.All(char.IsAscii) ? Ascii(value) : Utf16(value);

    public int Array(params int[] refs) => Raw([.. Marker(0xA, refs.Length), .. Refs(refs)]);
    public int Set(params int[] refs) => Raw([.. Marker(0xC, refs.Length), .. Refs(refs)]);

    public int Dict(params (int Key, int Value)[] entries) =>
        Raw([.. Marker(0xD, entries.Length), .. Refs(entries.Select(e => e.Key)), .. Refs(entries.Select(e => e.Value))]);

    /// <summary>Marker byte with the count in its low nibble, or 0xF followed by an integer object for 15 and more.</summary>
    public static byte[] Marker(int kind, long count)
    {
        if (count < 15) return [(byte)((kind << 4) | (int)count)];
        if (count <= byte.MaxValue) return [(byte)((kind << 4) | 0xF), 0x10, (byte)count];
        if (count <= ushort.MaxValue) return [(byte)((kind << 4) | 0xF), 0x11, (byte)(count >> 8), (byte)count];
        if (count <= uint.MaxValue)
            return [(byte)((kind << 4) | 0xF), 0x12, (byte)(count >> 24), (byte)(count >> 16), (byte)(count >> 8), (byte)count];
        var b = new byte[10];
        b[0] = (byte)((kind << 4) | 0xF);
        b[1] = 0x13;
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(2), count);
        return b;
    }

    private IEnumerable<byte> Refs(IEnumerable<int> refs) =>
        refs.SelectMany(r => Enumerable.Range(0, RefSize).Select(i => (byte)(r >> (8 * (RefSize - 1 - i)))));

    /// <summary>Lays out header, objects, offset table and trailer. <paramref name="patchTrailer"/> may corrupt the trailer.</summary>
    public byte[] Build(int top = 0, Action<byte[]>? patchTrailer = null)
    {
        var file = new List<byte>(Encoding.ASCII.GetBytes("bplist00"));
        var offsets = new List<long>();
        foreach (var o in _objects)
        {
            offsets.Add(file.Count);
            file.AddRange(o);
        }
        long tableOffset = file.Count;
        int offsetSize = tableOffset <= byte.MaxValue ? 1 : tableOffset <= ushort.MaxValue ? 2 : 4;
        foreach (var off in offsets)
            for (int i = offsetSize - 1; i >= 0; i--) file.Add((byte)(off >> (8 * i)));

        var trailer = new byte[32];
        trailer[6] = (byte)offsetSize;
        trailer[7] = (byte)RefSize;
        BinaryPrimitives.WriteUInt64BigEndian(trailer.AsSpan(8), (ulong)_objects.Count);
        BinaryPrimitives.WriteUInt64BigEndian(trailer.AsSpan(16), (ulong)top);
        BinaryPrimitives.WriteUInt64BigEndian(trailer.AsSpan(24), (ulong)tableOffset);
        patchTrailer?.Invoke(trailer);
        file.AddRange(trailer);
        return file.ToArray();
    }

    /// <summary>Encodes a whole tree (every node once, no sharing) and returns the file.</summary>
    public static byte[] Encode(PlistNode root)
    {
        var builder = new BplistBuilder { RefSize = 2 };
        int top = builder.Add(root);
        return builder.Build(top);
    }

    private int Add(PlistNode node)
    {
        switch (node)
        {
            case PlistBoolean b: return Bool(b.Value);
            case PlistInteger i: return Int(i.Value, i.Value >= long.MinValue && i.Value <= long.MaxValue ? 8 : 16);
            case PlistReal r: return Real(r.Value);
            case PlistDate d: return Date(d.Value);
            case PlistData d: return Data(d.Value.ToArray());
            case PlistString s: return Str(s.Value);
            case PlistUid u: return Uid(u.Value, 8);
            case PlistArray a:
            {
                var refs = a.Items.Select(Add).ToArray();
                return a.IsSet ? Set(refs) : Array(refs);
            }
            case PlistDict d:
            {
                var pairs = d.Entries.Select(e => (Key: Str(e.Key), Value: Add(e.Value))).ToArray();
                return Dict(pairs);
            }
            default: throw new ArgumentException("unknown node " + node.GetType());
        }
    }
}
