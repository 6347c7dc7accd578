using System.Buffers.Binary;
using System.Text;

namespace Mstg.MachO.Format;

/// <summary>
/// Bounds-checked little-endian field access over one structure (a load command, a blob). Every failure
/// becomes a <see cref="MachOFormatException"/> carrying the absolute file offset and what was being read.
/// </summary>
internal readonly ref struct LittleEndianFields
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly string _source;
    private readonly long _fileOffset;
    private readonly string _what;

    public LittleEndianFields(ReadOnlySpan<byte> bytes, string source, long fileOffset, string what)
    {
        _bytes = bytes;
        _source = source;
        _fileOffset = fileOffset;
        _what = what;
    }

    public int Length => _bytes.Length;

    public uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(at, 4));
    public int I32(int at) => BinaryPrimitives.ReadInt32LittleEndian(Slice(at, 4));
    public ulong U64(int at) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(at, 8));
    public ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(at, 2));
    public byte U8(int at) => Slice(at, 1)[0];

    /// <summary>A fixed-size name field such as <c>segname[16]</c>: up to the first NUL.</summary>
    public string FixedName(int at, int size)
    {
        var field = Slice(at, size);
        var nul = field.IndexOf((byte)0);
        return Encoding.Latin1.GetString(nul < 0 ? field : field[..nul]);
    }

    /// <summary>A NUL-terminated string starting at <paramref name="at"/> that must end inside this structure.</summary>
    public string CString(int at, string field)
    {
        if (at < 0 || at >= _bytes.Length)
            throw Error(at, $"{field} offset {at} lies outside the {_bytes.Length}-byte {_what}");
        var rest = _bytes[at..];
        var nul = rest.IndexOf((byte)0);
        if (nul < 0) throw Error(at, $"{field} is not NUL-terminated inside the {_what}");
        return Encoding.UTF8.GetString(rest[..nul]);
    }

    public ReadOnlySpan<byte> Slice(int at, int count)
    {
        if (at < 0 || count < 0 || (long)at + count > _bytes.Length)
            throw Error(at, $"{_what} is too short: needs bytes {at}..{(long)at + count} but has {_bytes.Length}");
        return _bytes.Slice(at, count);
    }

    public MachOFormatException Error(long at, string problem) => new(_source, _fileOffset + at, problem);
}
