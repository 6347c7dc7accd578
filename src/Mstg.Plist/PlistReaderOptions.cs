namespace Mstg.Plist;

/// <summary>
/// Limits that keep a hostile plist from costing unbounded memory or stack. The defaults are far above anything a
/// real Info.plist needs (those are a few kilobytes, a handful of levels deep).
/// </summary>
public sealed record PlistReaderOptions
{
    public static readonly PlistReaderOptions Default = new();

    /// <summary>Largest input accepted, in bytes. Larger inputs are refused before they are read whole.</summary>
    public long MaxInputBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Deepest nesting of arrays and dicts accepted (the readers recurse, so this also bounds the stack).</summary>
    public int MaxDepth { get; init; } = 512;

    /// <summary>Largest object count a binary plist may declare in its trailer.</summary>
    public long MaxObjectCount { get; init; } = 1_000_000;
}
