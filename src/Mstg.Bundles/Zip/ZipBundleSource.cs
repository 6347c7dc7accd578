using System.IO.Compression;
using System.Text;
using Mstg.Bundles.Paths;
using Mstg.Bundles.Sources;

namespace Mstg.Bundles.Zip;

/// <summary>
/// An IPA (or any zip) read in place with <see cref="ZipArchive"/> over a <see cref="FileStream"/>: nothing is
/// extracted to disk and entries are streamed. Every entry is vetted when the source is opened (name, declared
/// size, declared ratio, count, total) and again while it is read, because local and central headers can lie.
/// Not thread-safe: ZipArchive shares one file position between its entry streams.
/// </summary>
public sealed class ZipBundleSource : IBundleSource
{
    // Unix file type bits travel in the high 16 bits of the external attributes (st_mode, as zip/Info-ZIP writes it).
    private const int FileTypeMask = 0xF000;
    private const int SymlinkType = 0xA000;
    private const int DirectoryType = 0x4000;
    /// <summary>PATH_MAX on Apple platforms is 1024; 4 KiB leaves room and still keeps a lying "link" small.</summary>
    private const int MaxLinkTargetBytes = 4096;

    private readonly FileStream _file;
    private readonly ZipArchive _archive;
    private readonly BundleLimits _limits;
    private readonly Dictionary<string, (ZipArchiveEntry Entry, int Slot)> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BundleFile> _filesByPath = new(StringComparer.Ordinal);
    private readonly SymlinkResolver _resolver;
    private readonly SizeBudget _budget;

    public string Source { get; }
    public IReadOnlyList<BundleFile> Files { get; }

    /// <summary>Package paths that more than one entry carried; the last entry of each is the one kept.</summary>
    public IReadOnlyList<string> DuplicatePaths { get; }

    /// <summary>Entries left out because their names break the path length or depth limit, each naming the entry.</summary>
    public IReadOnlyList<BundleFormatException> Skipped { get; }

    public static ZipBundleSource Open(string path, BundleLimits limits)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BundleFormatException(path, "file", $"cannot open it: {e.Message}", e);
        }

        ZipArchive? archive = null;
        try
        {
            ZipDirectoryGuard.Check(file, path, limits.MaxEntries);
            file.Position = 0;
            archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            return new ZipBundleSource(path, file, archive, limits);
        }
        catch (Exception e)
        {
            archive?.Dispose();
            file.Dispose();
            if (e is MstgInputException || !LimitedReadStream.IsInputFailure(e)) throw;
            throw new BundleFormatException(path, "zip structure", $"not a readable zip archive: {e.Message}", e);
        }
    }

    private ZipBundleSource(string source, FileStream zipFile, ZipArchive archive, BundleLimits limits)
    {
        Source = source;
        _file = zipFile;
        _archive = archive;
        _limits = limits;

        var entries = archive.Entries;
        if (entries.Count > limits.MaxEntries)
            throw new BundleFormatException(source, "central directory", $"holds {entries.Count} entries, more than the {limits.MaxEntries} allowed");

        // Duplicate names: the last entry wins. Extracting tools (unzip, ditto, the iOS installer) write entries in
        // directory order, so on a device the last copy is the one that ends up on disk and runs; analysing the
        // first would let a package hide its real Info.plist behind a decoy.
        var kept = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new SortedSet<string>(StringComparer.Ordinal);
        var skipped = new List<BundleFormatException>();
        long declaredTotal = 0;
        for (var index = 0; index < entries.Count; index++)
        {
            var entry = entries[index];
            var name = entry.FullName;
            var place = $"entry {PackagePath.Printable(name)}";
            if (!PackagePath.TryNormalizeEntryName(name, out var path, out var problem))
                throw new BundleFormatException(source, place, $"refused: {problem}");
            var fileType = (entry.ExternalAttributes >> 16) & FileTypeMask;
            if (name.EndsWith('/') || fileType == DirectoryType) continue; // directory entries are not files
            // Too long or too deep: no real app has such a path, and keeping it would make every later step pay for it.
            // Skipping it (not refusing the IPA) keeps the rest of the app scannable; the problem makes the scan incomplete.
            if (PackagePath.BreaksLimits(path, limits.MaxPathBytes, limits.MaxPathDepth) is { } tooLong)
            {
                skipped.Add(new BundleFormatException(source, place, $"skipped: {tooLong}"));
                continue;
            }

            CheckDeclaredSizes(entry, place);
            declaredTotal += entry.Length;
            if (declaredTotal > limits.MaxTotalSize)
                throw new BundleFormatException(source, place, $"declared sizes add up past the {limits.MaxTotalSize}-byte total size limit");

            if (kept.ContainsKey(path)) duplicates.Add(path);
            kept[path] = index;
        }
        DuplicatePaths = [.. duplicates];
        Skipped = skipped;

        _budget = new SizeBudget(source, limits.MaxTotalSize, entries.Count);
        var files = new List<BundleFile>(kept.Count);
        foreach (var (path, index) in kept.OrderBy(pair => pair.Value))
        {
            var entry = entries[index];
            _entries[path] = (entry, index);
            var isSymlink = ((entry.ExternalAttributes >> 16) & FileTypeMask) == SymlinkType;
            var file = isSymlink
                ? new BundleFile(path, entry.Length, IsSymlink: true, SymlinkTarget: ReadLinkTarget(path))
                : new BundleFile(path, entry.Length);
            files.Add(file);
            _filesByPath[path] = file;
        }
        Files = files;
        _resolver = new SymlinkResolver(_filesByPath);
    }

    public Stream Open(BundleFile file)
    {
        var target = file;
        if (file.IsSymlink)
        {
            target = _resolver.Resolve(file.Path, out var problem)
                ?? throw new BundleFormatException(Source, $"entry {file.Path}", $"symlink not followed: {problem}");
        }
        return OpenEntry(target.Path, limitOverride: null);
    }

    public void Dispose()
    {
        _archive.Dispose();
        _file.Dispose();
    }

    private void CheckDeclaredSizes(ZipArchiveEntry entry, string place)
    {
        if (entry.Length > _limits.MaxEntrySize)
            throw new BundleFormatException(Source, place, $"declares {entry.Length} bytes, past the {_limits.MaxEntrySize}-byte entry size limit");
        var compressed = CompressedBound(entry);
        if (entry.Length >= _limits.MinSizeForRatioCheck && entry.Length > compressed * _limits.MaxCompressionRatio)
            throw new BundleFormatException(Source, place,
                $"declares {entry.Length} bytes from {compressed} compressed, past the {_limits.MaxCompressionRatio}:1 ratio limit (zip bomb?)");
    }

    /// <summary>
    /// The compressed size as far as it can be true: a header may claim more compressed bytes than the file holds to
    /// make a bomb's ratio look harmless, but the data cannot be longer than the archive itself.
    /// </summary>
    private long CompressedBound(ZipArchiveEntry entry) => Math.Min(entry.CompressedLength, _file.Length);

    private Stream OpenEntry(string path, long? limitOverride)
    {
        if (!_entries.TryGetValue(path, out var found))
            throw new ArgumentException($"{path} is not a file of {Source}", nameof(path));
        var (entry, slot) = found;
        Stream raw;
        try
        {
            raw = entry.Open();
        }
        catch (Exception e) when (LimitedReadStream.IsInputFailure(e))
        {
            throw new BundleFormatException(Source, $"entry {path}", $"cannot open it: {e.Message}", e);
        }
        var limits = new ReadLimits(
            MaxSize: limitOverride ?? _limits.MaxEntrySize,
            DeclaredSize: entry.Length,
            CompressedSize: CompressedBound(entry),
            MaxRatio: _limits.MaxCompressionRatio,
            MinSizeForRatio: _limits.MinSizeForRatioCheck,
            ExpectedCrc: entry.Crc32);
        return new LimitedReadStream(raw, Source, path, limits, _budget, slot);
    }

    /// <summary>A zip symlink stores its target as the entry's content; it is read once, small, and never followed here.</summary>
    private string ReadLinkTarget(string path)
    {
        using var stream = OpenEntry(path, limitOverride: MaxLinkTargetBytes);
        var buffer = new byte[MaxLinkTargetBytes + 1];
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException e)
        {
            throw new BundleFormatException(Source, $"entry {path}", "symlink target is not valid UTF-8", e);
        }
    }
}
