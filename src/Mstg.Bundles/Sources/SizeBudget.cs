namespace Mstg.Bundles.Sources;

/// <summary>
/// Counts the bytes actually produced across all files of one source, so that a package whose headers lie
/// still cannot make us read more than <see cref="BundleLimits.MaxTotalSize"/>. Each file is counted once,
/// by the furthest point any of its streams reached, so reading a file twice does not count twice.
/// </summary>
internal sealed class SizeBudget(string source, long maxTotal, int slots)
{
    private readonly long[] _reached = new long[slots];
    private long _total;

    public void Reached(int slot, long position, string entry)
    {
        lock (_reached)
        {
            if (position <= _reached[slot]) return;
            _total += position - _reached[slot];
            _reached[slot] = position;
            if (_total > maxTotal)
                throw new BundleFormatException(source, $"entry {entry}",
                    $"reading it brings the package past the {maxTotal}-byte total size limit (the headers declared less)");
        }
    }
}
