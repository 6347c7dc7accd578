using Mstg.Bundles.Paths;

namespace Mstg.Bundles.Sources;

/// <summary>
/// An unpacked app on disk. Paths are relative to <see cref="Root"/> with '/' separators. Symlinks are reported
/// as symlinks (with their target text) and never descended into or followed by the file system: opening one
/// resolves it against the package's own paths, so a link to /etc/passwd or ../../secret is refused.
/// </summary>
public sealed class FolderBundleSource : IBundleSource
{
    private readonly BundleLimits _limits;
    private readonly Dictionary<string, BundleFile> _filesByPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly SymlinkResolver _resolver;
    private readonly SizeBudget _budget;

    /// <summary>The folder package paths are relative to.</summary>
    public string Root { get; }
    public string Source { get; }
    public IReadOnlyList<BundleFile> Files { get; }

    /// <summary>
    /// Entries left out, each naming the entry: FIFOs, sockets and devices (never opened: opening a FIFO blocks until a
    /// writer comes, reading a device may never end) and paths that break the length or depth limit.
    /// </summary>
    public IReadOnlyList<BundleFormatException> Skipped => _skipped;

    private readonly List<BundleFormatException> _skipped = [];

    /// <param name="source">The path as the user gave it (for messages).</param>
    /// <param name="root">Folder the package paths are relative to.</param>
    /// <param name="only">When set, only this top-level child of <paramref name="root"/> is enumerated (an .app given directly).</param>
    public FolderBundleSource(string source, string root, BundleLimits limits, string? only = null)
    {
        Source = source;
        Root = Path.GetFullPath(root);
        _limits = limits;
        var files = new List<BundleFile>();
        long total = 0;
        var pending = new Stack<(DirectoryInfo Folder, string Path)>();
        pending.Push((new DirectoryInfo(only is null ? Root : Path.Combine(Root, only)), only ?? ""));
        while (pending.Count > 0)
        {
            var (folder, folderPath) = pending.Pop();
            foreach (var item in List(folder, folderPath))
            {
                var path = PackagePath.Join(folderPath, item.Name);
                if (files.Count >= limits.MaxEntries)
                    throw new BundleFormatException(source, path, $"the folder holds more than the {limits.MaxEntries} files allowed");
                if (PackagePath.BreaksLimits(path, limits.MaxPathBytes, limits.MaxPathDepth) is { } tooLong)
                {
                    Skip(path, $"skipped{(item is DirectoryInfo ? " with everything in it" : "")}: {tooLong}");
                    continue;
                }
                if (item.LinkTarget is { } target)
                {
                    Add(files, new BundleFile(path, System.Text.Encoding.UTF8.GetByteCount(target), IsSymlink: true, SymlinkTarget: target));
                }
                else if (item is DirectoryInfo sub)
                {
                    pending.Push((sub, path));
                }
                else if (FileKind.NotRegular(item.FullName) is { } special)
                {
                    Skip(path, $"skipped without opening it: {special}, not a file an app can ship");
                }
                else if (item is FileInfo file)
                {
                    if (file.Length > limits.MaxEntrySize)
                        throw new BundleFormatException(source, path, $"is {file.Length} bytes, past the {limits.MaxEntrySize}-byte entry size limit");
                    total += file.Length;
                    if (total > limits.MaxTotalSize)
                        throw new BundleFormatException(source, path, $"file sizes add up past the {limits.MaxTotalSize}-byte total size limit");
                    Add(files, new BundleFile(path, file.Length));
                }
            }
        }
        Files = [.. files.OrderBy(file => file.Path, StringComparer.Ordinal)];
        _resolver = new SymlinkResolver(_filesByPath);
        _budget = new SizeBudget(source, limits.MaxTotalSize, files.Count);
    }

    public Stream Open(BundleFile file)
    {
        var target = file;
        if (file.IsSymlink)
        {
            target = _resolver.Resolve(file.Path, out var problem)
                ?? throw new BundleFormatException(Source, file.Path, $"symlink not followed: {problem}");
        }
        if (!_slots.TryGetValue(target.Path, out var slot))
            throw new ArgumentException($"{target.Path} is not a file of {Source}", nameof(file));

        var fullPath = Path.Combine(Root, target.Path);
        // Checked again right before opening: a file swapped for a FIFO after the folder was listed would block the open.
        if (FileKind.NotRegular(fullPath) is { } special)
            throw new BundleFormatException(Source, target.Path, $"not opened: it is now {special}");
        Stream raw;
        try
        {
            raw = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 14);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BundleFormatException(Source, target.Path, $"cannot open it: {e.Message}", e);
        }
        var limits = new ReadLimits(_limits.MaxEntrySize, DeclaredSize: -1, CompressedSize: -1, MaxRatio: 0, MinSizeForRatio: 0);
        return new LimitedReadStream(raw, Source, target.Path, limits, _budget, slot);
    }

    public void Dispose() { }

    private void Skip(string path, string problem) => _skipped.Add(new BundleFormatException(Source, PackagePath.Printable(path), problem));

    private void Add(List<BundleFile> files, BundleFile file)
    {
        _slots[file.Path] = files.Count;
        _filesByPath[file.Path] = file;
        files.Add(file);
    }

    /// <summary>Children in ordinal name order, so Files comes out the same on every file system.</summary>
    private IEnumerable<FileSystemInfo> List(DirectoryInfo folder, string folderPath)
    {
        try
        {
            return folder.EnumerateFileSystemInfos().OrderBy(item => item.Name, StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BundleFormatException(Source, folderPath.Length == 0 ? "." : folderPath, $"cannot list the folder: {e.Message}", e);
        }
    }
}
