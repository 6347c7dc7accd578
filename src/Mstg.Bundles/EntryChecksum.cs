using Mstg.Bundles.Sources;

namespace Mstg.Bundles;

/// <summary>
/// A zip entry's CRC-32 can only be checked once every byte of it has been read, but readers such as the Mach-O
/// reader stop at the last byte they need. A consumer that parsed part of a file and wants its verdict to rest on
/// intact bytes finishes the stream here.
/// </summary>
public static class EntryChecksum
{
    /// <summary>
    /// Reads the rest of <paramref name="stream"/> (opened by <see cref="IBundleSource.Open"/>) so that its checksum is
    /// verified, throwing <see cref="BundleFormatException"/> naming the entry on a mismatch. Does nothing for files
    /// without a checksum (folders) or once the stream has been seeked, so it never costs a pointless read.
    /// </summary>
    public static void VerifyRest(Stream stream)
    {
        if (stream is LimitedReadStream { ChecksumPending: true } limited) limited.CopyTo(Stream.Null, 1 << 16);
    }
}
