using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Mstg.Plist.Binary;

/// <summary>
/// Reads Apple's binary property list (<c>bplist00</c>): a header, a run of typed objects, an offset table giving
/// each object's byte offset, and a trailer. Objects refer to each other by index, so a hostile file can point
/// anywhere, loop, or claim huge counts; every such case is checked before it is followed or allocated.
/// </summary>
/// <remarks>
/// Each object is decoded once and cached by index, so shared (non-cyclic) references cost nothing extra and a
/// "diamond" structure cannot blow up exponentially. Cycles are found by tracking the objects on the current path.
/// </remarks>
internal sealed class BinaryPlistParser
{
    private readonly ReadOnlyMemory<byte> _file;
    private readonly string _source;
    private readonly PlistReaderOptions _options;
    private readonly BinaryTrailer _trailer;
    private readonly PlistNode?[] _decoded;
    private readonly bool[] _onPath;

    private BinaryPlistParser(ReadOnlyMemory<byte> file, string source, PlistReaderOptions options, BinaryTrailer trailer)
    {
        _file = file;
        _source = source;
        _options = options;
        _trailer = trailer;
        // Safe to size by the object count: the trailer check proved the offset table for that many objects fits in the file.
        _decoded = new PlistNode?[trailer.ObjectCount];
        _onPath = new bool[trailer.ObjectCount];
    }

    private ReadOnlySpan<byte> File => _file.Span;

    /// <summary>End of the object area: objects must lie between the header and the offset table.</summary>
    private long ObjectAreaEnd => _trailer.OffsetTableOffset;

    public static PlistNode Parse(ReadOnlyMemory<byte> file, string source, PlistReaderOptions options)
    {
        var span = file.Span;
        if (!span.StartsWith("bplist"u8))
            throw new PlistFormatException(source, PlistPosition.AtByte(0), "missing bplist header");
        if (span.Length < BinaryTrailer.HeaderSize)
            throw new PlistFormatException(source, PlistPosition.AtByte(span.Length), $"binary plist is only {span.Length} bytes, too short for its header");
        string version = Encoding.ASCII.GetString(span[6..8]);
        // "00" is what every Apple tool writes; "01" only differs by allowing UTF-8 strings, which we accept anyway.
        if (version is not ("00" or "01"))
            throw new PlistFormatException(source, PlistPosition.AtByte(6), $"unsupported binary plist version '{version}'");

        var trailer = BinaryTrailer.Read(span, source, options);
        return new BinaryPlistParser(file, source, options, trailer).ReadObject(trailer.TopObject, 0);
    }

    private PlistNode ReadObject(long index, int depth)
    {
        if (_decoded[index] is { } done) return done;

        long offset = ObjectOffset(index);
        if (_onPath[index])
            throw Error(offset, index, "reference cycle: the object contains itself");
        if (depth >= _options.MaxDepth)
            throw Error(offset, index, $"nesting deeper than the limit of {_options.MaxDepth}");

        _onPath[index] = true;
        var node = DecodeObject(index, offset, depth);
        _onPath[index] = false;
        _decoded[index] = node;
        return node;
    }

    private long ObjectOffset(long index)
    {
        long entry = _trailer.OffsetTableOffset + index * _trailer.OffsetIntSize;
        ulong offset = ReadUnsigned(entry, _trailer.OffsetIntSize);
        if (offset < BinaryTrailer.HeaderSize || offset >= (ulong)ObjectAreaEnd)
            throw new PlistFormatException(_source, PlistPosition.AtByte(entry),
                $"object #{index} has offset 0x{offset:x}, outside the object area 0x{BinaryTrailer.HeaderSize:x}–0x{ObjectAreaEnd - 1:x}");
        return (long)offset;
    }

    private PlistNode DecodeObject(long index, long offset, int depth)
    {
        byte marker = File[(int)offset];
        int kind = marker >> 4, info = marker & 0xF;
        var position = PlistPosition.AtByte(offset);

        switch (kind)
        {
            case 0x0:
                return info switch
                {
                    0x8 => new PlistBoolean(false, position),
                    0x9 => new PlistBoolean(true, position),
                    // CoreFoundation has no plist value for these; refusing is clearer than inventing one.
                    0x0 => throw Error(offset, index, "null object (marker 0x00) has no plist value"),
                    0xF => throw Error(offset, index, "fill byte (marker 0x0f) where an object was expected"),
                    _ => throw Error(offset, index, $"unknown object marker 0x{marker:x2}"),
                };
            case 0x1:
                return new PlistInteger(ReadIntegerObject(index, offset), position);
            case 0x2:
                return new PlistReal(ReadReal(index, offset, info), position);
            case 0x3:
                if (info != 0x3) throw Error(offset, index, $"unknown object marker 0x{marker:x2}");
                return new PlistDate(ReadDate(index, offset), position);
            case 0x4:
            {
                var (start, length) = Payload(index, offset, info, 1);
                return new PlistData(File.Slice((int)start, (int)length).ToArray(), position);
            }
            case 0x5 or 0x6 or 0x7:
                return new PlistString(ReadString(index, offset), position);
            case 0x8:
            {
                int size = info + 1;
                CheckInside(index, offset + 1, size, "UID");
                var bytes = File.Slice((int)offset + 1, size);
                // UIDs are object numbers in a keyed archive; anything over 64 bits cannot be one.
                if (size > 8 && bytes[..(size - 8)].ContainsAnyExcept((byte)0))
                    throw Error(offset, index, $"UID of {size} bytes does not fit in 64 bits");
                return new PlistUid(ReadUnsigned(offset + 1 + Math.Max(0, size - 8), Math.Min(size, 8)), position);
            }
            case 0xA or 0xB or 0xC:
            {
                // 0xB is the "ordered set" marker some writers use; CF reads it like a set.
                var refs = ReadRefs(index, offset, info, 1);
                var items = new PlistNode[refs.Length];
                for (int i = 0; i < refs.Length; i++)
                    items[i] = ReadObject(refs[i], depth + 1);
                return new PlistArray(items, position, isSet: kind != 0xA);
            }
            case 0xD:
            {
                var refs = ReadRefs(index, offset, info, 2);
                int count = refs.Length / 2;
                var entries = new PlistEntry[count];
                for (int i = 0; i < count; i++)
                {
                    var key = ReadObject(refs[i], depth + 1);
                    if (key is not PlistString keyString)
                        throw Error(offset, index, $"dict key {i} (object #{refs[i]}) is a {key.TypeName}, not a string");
                    entries[i] = new PlistEntry(keyString.Value, ReadObject(refs[count + i], depth + 1), key.Position);
                }
                return new PlistDict(entries, position);
            }
            default:
                throw Error(offset, index, $"unknown object marker 0x{marker:x2}");
        }
    }

    private BigInteger ReadIntegerObject(long index, long offset)
    {
        int info = File[(int)offset] & 0xF;
        if (info > 4) throw Error(offset, index, $"integer of 2^{info} bytes is not supported (at most 16)");
        int size = 1 << info;
        CheckInside(index, offset + 1, size, "integer");
        var bytes = File.Slice((int)offset + 1, size);
        // 1, 2 and 4-byte ints are unsigned; 8-byte ones are signed 64-bit; 16-byte ones are signed 128-bit.
        return new BigInteger(bytes, isUnsigned: size < 8, isBigEndian: true);
    }

    private double ReadReal(long index, long offset, int info)
    {
        switch (info)
        {
            case 2:
                CheckInside(index, offset + 1, 4, "real");
                return BinaryPrimitives.ReadSingleBigEndian(File[((int)offset + 1)..]);
            case 3:
                CheckInside(index, offset + 1, 8, "real");
                return BinaryPrimitives.ReadDoubleBigEndian(File[((int)offset + 1)..]);
            default:
                throw Error(offset, index, $"real of 2^{info} bytes is not supported (only 4 or 8)");
        }
    }

    private static readonly DateTimeOffset AppleEpoch = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private DateTimeOffset ReadDate(long index, long offset)
    {
        CheckInside(index, offset + 1, 8, "date");
        double seconds = BinaryPrimitives.ReadDoubleBigEndian(File[((int)offset + 1)..]);
        double min = (DateTimeOffset.MinValue - AppleEpoch).TotalSeconds, max = (DateTimeOffset.MaxValue - AppleEpoch).TotalSeconds;
        if (!double.IsFinite(seconds) || seconds <= min || seconds >= max)
            throw Error(offset, index, $"date of {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} seconds since 2001-01-01 is out of range");
        return AppleEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }

    private string ReadString(long index, long offset)
    {
        byte marker = File[(int)offset];
        int kind = marker >> 4;
        var (start, length) = Payload(index, offset, marker & 0xF, kind == 0x6 ? 2 : 1);
        var bytes = File.Slice((int)start, (int)length);
        return kind switch
        {
            // "ASCII" strings are read byte-per-char so that stray high bytes still give a readable value.
            0x5 => Encoding.Latin1.GetString(bytes),
            0x6 => Encoding.BigEndianUnicode.GetString(bytes),
            _ => Encoding.UTF8.GetString(bytes),
        };
    }

    /// <summary>
    /// Reads the element count of a variable-length object (from its low nibble, or from the integer object that
    /// follows when the nibble is 0xF) and checks that count×<paramref name="unitSize"/> bytes fit in the object area.
    /// </summary>
    private (long Start, long Length) Payload(long index, long offset, int info, int unitSize)
    {
        long count = info, start = offset + 1;
        if (info == 0xF)
        {
            CheckInside(index, start, 1, "length");
            byte lengthMarker = File[(int)start];
            int lengthInfo = lengthMarker & 0xF;
            if (lengthMarker >> 4 != 0x1 || lengthInfo > 3)
                throw Error(offset, index, $"length marker 0x{lengthMarker:x2} after 0x{File[(int)offset]:x2} is not a 1 to 8-byte integer");
            int size = 1 << lengthInfo;
            CheckInside(index, start + 1, size, "length");
            ulong raw = ReadUnsigned(start + 1, size);
            if (raw > int.MaxValue)
                throw Error(offset, index, $"length {raw} is too large");
            count = (long)raw;
            start += 1 + size;
        }
        long room = ObjectAreaEnd - start;
        if (count > room / unitSize)
            throw Error(offset, index, $"declares {count} elements of {unitSize} bytes but only {Math.Max(0, room)} bytes remain before the offset table");
        return (start, count * unitSize);
    }

    private long[] ReadRefs(long index, long offset, int info, int refsPerElement)
    {
        int refSize = _trailer.ObjectRefSize;
        var (start, length) = Payload(index, offset, info, refsPerElement * refSize);
        var refs = new long[length / refSize];
        for (int i = 0; i < refs.Length; i++)
        {
            ulong target = ReadUnsigned(start + (long)i * refSize, refSize);
            if (target >= (ulong)_trailer.ObjectCount)
                throw Error(start + (long)i * refSize, index, $"reference {i} points to object #{target}, but there are only {_trailer.ObjectCount} objects");
            refs[i] = (long)target;
        }
        return refs;
    }

    private void CheckInside(long index, long start, long length, string what)
    {
        if (start + length > ObjectAreaEnd)
            throw Error(start, index, $"{what} of {length} bytes runs past the object area into the offset table at 0x{ObjectAreaEnd:x}");
    }

    private ulong ReadUnsigned(long offset, int size)
    {
        ulong value = 0;
        foreach (byte b in File.Slice((int)offset, size)) value = (value << 8) | b;
        return value;
    }

    private PlistFormatException Error(long offset, long index, string problem) =>
        new(_source, PlistPosition.AtByte(offset), $"object #{index}: {problem}");
}
