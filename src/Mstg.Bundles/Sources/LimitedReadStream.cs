using Mstg.IO;

namespace Mstg.Bundles.Sources;

/// <summary>What one opened file may produce; -1 switches a check off.</summary>
/// <param name="ExpectedCrc">The zip header's CRC-32, checked when the stream is read from start to end without seeking.</param>
internal readonly record struct ReadLimits(long MaxSize, long DeclaredSize, long CompressedSize, double MaxRatio, long MinSizeForRatio,
    uint? ExpectedCrc = null);

/// <summary>
/// A read-only wrapper that counts the bytes its inner stream produces and throws <see cref="BundleFormatException"/>
/// the moment a limit is crossed: entry size, declared size (headers lie), compression ratio (bombs) and the
/// source's total budget. Errors of the inner stream (corrupt deflate data, CRC mismatch, I/O) are turned into
/// <see cref="BundleFormatException"/> as well, so callers only ever see the one input exception type.
/// </summary>
internal sealed class LimitedReadStream(Stream inner, string source, string entry, ReadLimits limits, SizeBudget? budget, int slot)
    : ReadOnlyStream(inner)
{
    private long _position;
    private long _furthest;
    // System.IO.Hashing's CRC-32 is zip's (IEEE 802.3, reflected 0xEDB88320). ZipArchive stops inflating at the size a
    // header declares without complaint, so checking the stored CRC at the end turns an understated size into an error.
    private readonly System.IO.Hashing.Crc32 _crc = new();
    private bool _crcTracking = limits.ExpectedCrc.HasValue;

    /// <summary>True while a CRC is expected and still followable: reading to the end will check it.</summary>
    public bool ChecksumPending => _crcTracking;

    public override bool CanSeek => Inner.CanSeek;
    public override long Length => CanSeek ? Guard(() => Inner.Length) : throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = Inner.Read(buffer);
        }
        catch (Exception e) when (IsInputFailure(e))
        {
            throw new BundleFormatException(source, $"entry {entry}", $"cannot read it: {e.Message}", e);
        }
        if (_crcTracking) _crc.Append(buffer[..read]);
        Advance(read, endReached: read == 0 && buffer.Length > 0);
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        if (!CanSeek) throw new NotSupportedException();
        _crcTracking = false; // the CRC covers the bytes in order; after a seek it can no longer be followed
        _position = Guard(() => Inner.Seek(offset, origin));
        return _position;
    }

    private void Advance(int read, bool endReached)
    {
        _position += read;
        if (_position > _furthest)
        {
            _furthest = _position;
            if (limits.DeclaredSize >= 0 && _furthest > limits.DeclaredSize)
                Fail($"holds more data than the {limits.DeclaredSize} bytes its header declares");
            if (limits.MaxSize >= 0 && _furthest > limits.MaxSize)
                Fail($"is larger than the {limits.MaxSize}-byte entry size limit");
            if (limits.CompressedSize >= 0 && _furthest >= limits.MinSizeForRatio
                && _furthest > limits.CompressedSize * limits.MaxRatio)
                Fail($"expands to {_furthest} bytes from {limits.CompressedSize} compressed, past the {limits.MaxRatio}:1 ratio limit (zip bomb?)");
            budget?.Reached(slot, _furthest, entry);
        }
        if (endReached && limits.DeclaredSize >= 0 && _position < limits.DeclaredSize)
            Fail($"ends after {_position} of the {limits.DeclaredSize} bytes its header declares");
        if (endReached && _crcTracking && _crc.GetCurrentHashAsUInt32() is var actual && actual != limits.ExpectedCrc)
            Fail($"content does not match the CRC-32 in its header (0x{actual:x8} read, 0x{limits.ExpectedCrc:x8} declared): data or sizes were tampered with");
    }

    private void Fail(string problem) => throw new BundleFormatException(source, $"entry {entry}", problem);

    private T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsInputFailure(e))
        {
            throw new BundleFormatException(source, $"entry {entry}", $"cannot read it: {e.Message}", e);
        }
    }

    /// <summary>
    /// Exceptions that mean "the bytes are bad" when they come out of the zip or file layer. Programming errors
    /// such as NullReferenceException are deliberately not in the list.
    /// </summary>
    internal static bool IsInputFailure(Exception e) =>
        e is InvalidDataException or IOException or NotSupportedException or ArgumentException
            or OverflowException or FormatException or IndexOutOfRangeException or InvalidOperationException
            or UnauthorizedAccessException;
}
