namespace Mstg.MachO.Tests.Support;

/// <summary>
/// A stream that can only be read forward, like a deflated zip entry; it counts what was pulled through it and the
/// largest single read the caller asked for.
/// </summary>
public sealed class ForwardOnlyStream(Stream inner) : Mstg.IO.ReadOnlyStream(inner)
{
    public long BytesRead { get; private set; }
    public int LargestRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        LargestRead = Math.Max(LargestRead, buffer.Length);
        var n = Inner.Read(buffer);
        BytesRead += n;
        return n;
    }
}
