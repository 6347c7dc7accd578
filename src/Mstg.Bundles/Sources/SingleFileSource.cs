namespace Mstg.Bundles.Sources;

/// <summary>A lone file (an Info.plist given on its own): one <see cref="BundleFile"/> named like the file.</summary>
public sealed class SingleFileSource : IBundleSource
{
    private readonly string _fullPath;
    private readonly BundleLimits _limits;

    public SingleFileSource(string source, BundleLimits limits)
    {
        Source = source;
        _fullPath = Path.GetFullPath(source);
        _limits = limits;
        long length;
        try
        {
            length = new FileInfo(_fullPath).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BundleFormatException(source, "file", $"cannot read it: {e.Message}", e);
        }
        File = new BundleFile(Path.GetFileName(_fullPath), length);
        Files = [File];
    }

    public string Source { get; }
    public BundleFile File { get; }
    public IReadOnlyList<BundleFile> Files { get; }

    public Stream Open(BundleFile file)
    {
        if (file != File) throw new ArgumentException($"{file.Path} is not {Source}", nameof(file));
        Stream raw;
        try
        {
            raw = new FileStream(_fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 14);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BundleFormatException(Source, "file", $"cannot open it: {e.Message}", e);
        }
        var limits = new ReadLimits(_limits.MaxEntrySize, DeclaredSize: -1, CompressedSize: -1, MaxRatio: 0, MinSizeForRatio: 0);
        return new LimitedReadStream(raw, Source, File.Path, limits, budget: null, slot: 0);
    }

    public void Dispose() { }
}
