namespace Mstg.IO;

/// <summary>
/// The base of the forward-only, read-only streams the readers and their tests put around other streams (limits,
/// cancellation, counting, trickling): everything a <see cref="Stream"/> must answer besides reading, answered once.
/// A subclass implements <see cref="Read(Span{byte})"/>; one that can seek overrides <see cref="CanSeek"/>,
/// <see cref="Seek"/>, <see cref="Length"/> and <see cref="Position"/>. The inner stream is disposed with it.
/// </summary>
public abstract class ReadOnlyStream(Stream inner) : Stream
{
    protected Stream Inner { get; } = inner;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }
}
