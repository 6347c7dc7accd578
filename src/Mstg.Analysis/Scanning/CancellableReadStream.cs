using Mstg.IO;

namespace Mstg.Analysis.Scanning;

/// <summary>A read-only pass-through that throws <see cref="OperationCanceledException"/> on the next read once the token fires.</summary>
internal sealed class CancellableReadStream(Stream inner, CancellationToken cancel) : ReadOnlyStream(inner)
{
    public override bool CanSeek => Inner.CanSeek;
    public override long Length => Inner.Length;

    public override long Position
    {
        get => Inner.Position;
        set => Inner.Position = value;
    }

    public override int Read(Span<byte> buffer)
    {
        cancel.ThrowIfCancellationRequested();
        return Inner.Read(buffer);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        cancel.ThrowIfCancellationRequested();
        return Inner.Seek(offset, origin);
    }
}
