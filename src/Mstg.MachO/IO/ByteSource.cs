using System.Buffers;

namespace Mstg.MachO.IO;

/// <summary>
/// Random-looking reads over input that may only go forward. The reader plans its reads in ascending
/// order, so a forward-only stream (a deflated zip entry) is consumed once, skipping what is not needed,
/// and nothing but the requested ranges is ever held in memory. The first <see cref="HeadSize"/> bytes are
/// kept so the magic probe and the first mach header can look at offset 0 more than once.
/// </summary>
internal abstract class ByteSource
{
    public const int HeadSize = 4096;

    protected ByteSource(string source) => Source = source;

    public string Source { get; }

    /// <summary>Total length when known up front (seekable stream, memory); null for forward-only streams.</summary>
    public abstract long? Length { get; }

    /// <summary>Bytes [offset, offset+count). Throws <see cref="MachOFormatException"/> naming <paramref name="what"/> when the input ends first.</summary>
    public abstract ReadOnlyMemory<byte> Read(long offset, int count, string what);

    /// <summary>Reads up to <paramref name="count"/> bytes from offset 0, fewer if the input is shorter.</summary>
    public abstract ReadOnlyMemory<byte> ReadHead(int count);

    /// <summary>
    /// Confirms the input is at least <paramref name="end"/> bytes long. Free when the length is known; a forward-only
    /// stream is skipped ahead to find out (in practice only the code signature is left after __LINKEDIT's tables),
    /// so truncated files are refused the same way whatever kind of stream they come from.
    /// </summary>
    public virtual void EnsureAvailable(long end, string what)
    {
        if (Length is { } length && end > length) throw PastEnd(end, 0, length, what);
    }

    public static ByteSource For(Stream stream, string source) =>
        stream.CanSeek ? new SeekableStreamSource(stream, source) : new ForwardOnlyStreamSource(stream, source);

    public static ByteSource For(ReadOnlyMemory<byte> memory, string source) => new MemorySource(memory, source);

    protected MachOFormatException PastEnd(long offset, int count, long fileEnd, string what) =>
        new(Source, offset, $"{what} (bytes 0x{offset:x}..0x{offset + count:x}) points past end of file (file ends at 0x{fileEnd:x})");

    /// <summary>Wraps failures of the underlying stream (a corrupt deflate entry, an I/O error) so callers see one exception type.</summary>
    protected MachOFormatException StreamFailure(long offset, string what, Exception e) =>
        new(Source, offset, $"could not read {what}: {e.Message}", e);
}

internal sealed class MemorySource(ReadOnlyMemory<byte> memory, string source) : ByteSource(source)
{
    public override long? Length => memory.Length;

    public override ReadOnlyMemory<byte> Read(long offset, int count, string what)
    {
        if (offset < 0 || count < 0 || offset + count > memory.Length) throw PastEnd(offset, count, memory.Length, what);
        return memory.Slice((int)offset, count);
    }

    public override ReadOnlyMemory<byte> ReadHead(int count) => memory[..Math.Min(count, memory.Length)];
}

internal sealed class SeekableStreamSource : ByteSource
{
    private readonly Stream _stream;
    private readonly long _origin;
    private readonly long _length;

    public SeekableStreamSource(Stream stream, string source) : base(source)
    {
        _stream = stream;
        _origin = stream.Position;
        _length = stream.Length - _origin;
    }

    public override long? Length => _length;

    public override ReadOnlyMemory<byte> Read(long offset, int count, string what)
    {
        if (offset < 0 || count < 0 || offset + count > _length) throw PastEnd(offset, count, _length, what);
        var buffer = new byte[count];
        try
        {
            _stream.Position = _origin + offset;
            _stream.ReadExactly(buffer);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ObjectDisposedException)
        {
            throw StreamFailure(offset, what, e);
        }
        return buffer;
    }

    public override ReadOnlyMemory<byte> ReadHead(int count) => Read(0, (int)Math.Min(count, _length), "file header");
}

/// <summary>A stream that can only go forward: gaps are skipped by reading into a small pooled buffer.</summary>
internal sealed class ForwardOnlyStreamSource(Stream stream, string source) : ByteSource(source)
{
    private const int SkipBufferSize = 81920;
    private long _position;
    private byte[] _head = [];
    private bool _ended;

    /// <summary>Unknown until the stream has ended.</summary>
    public override long? Length => _ended ? _position : null;

    public override void EnsureAvailable(long end, string what)
    {
        if (end <= Math.Max(_position, _head.Length)) return;
        Read(end - 1, 1, what);
    }

    public override ReadOnlyMemory<byte> ReadHead(int count)
    {
        if (_position != 0) throw new InvalidOperationException("The head must be read first.");
        var buffer = new byte[count];
        var got = Fill(buffer, 0, "file header");
        _head = got == count ? buffer : buffer[..got];
        return _head;
    }

    public override ReadOnlyMemory<byte> Read(long offset, int count, string what)
    {
        if (offset < 0 || count < 0) throw PastEnd(offset, count, _position, what);
        var end = offset + count;
        if (end <= _head.Length) return _head.AsMemory((int)offset, count);

        var result = new byte[count];
        var filled = 0;
        if (offset < _head.Length)
        {
            _head.AsSpan((int)offset).CopyTo(result);
            filled = _head.Length - (int)offset;
        }
        var streamStart = offset + filled;
        if (streamStart < _position)
            throw new MachOFormatException(Source, offset,
                $"{what} overlaps bytes already passed in a forward-only stream (at 0x{_position:x}); the layout is not in file order");
        Skip(streamStart, what);
        var got = Fill(result, filled, what);
        if (filled + got < count) throw PastEnd(offset, count, _position, what);
        return result;
    }

    private void Skip(long target, string what)
    {
        if (target == _position) return;
        var scratch = ArrayPool<byte>.Shared.Rent(SkipBufferSize);
        try
        {
            while (_position < target)
            {
                var want = (int)Math.Min(scratch.Length, target - _position);
                var n = ReadSome(scratch.AsSpan(0, want), what);
                if (n == 0) throw PastEnd(target, 0, _position, what);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private int Fill(byte[] buffer, int start, string what)
    {
        var total = start;
        while (total < buffer.Length)
        {
            var n = ReadSome(buffer.AsSpan(total), what);
            if (n == 0) break;
            total += n;
        }
        return total - start;
    }

    private int ReadSome(Span<byte> into, string what)
    {
        if (_ended) return 0;
        int n;
        try
        {
            n = stream.Read(into);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ObjectDisposedException)
        {
            throw StreamFailure(_position, what, e);
        }
        if (n == 0) _ended = true;
        _position += n;
        return n;
    }
}
