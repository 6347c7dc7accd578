using Mstg.Plist;

namespace Mstg.Bundles;

public enum BundleKind
{
    /// <summary>The main <c>.app</c>.</summary>
    App,
    /// <summary><c>PlugIns/*.appex</c> (share, widget, notification … extensions).</summary>
    AppExtension,
    /// <summary><c>Frameworks/*.framework</c>.</summary>
    Framework,
    /// <summary><c>Watch/*.app</c>.</summary>
    WatchApp,
    /// <summary>An extension inside the Watch app.</summary>
    WatchExtension,
    /// <summary>Only an Info.plist was given: no binary, no files.</summary>
    PlistOnly,
}

/// <summary>A file of the package. <see cref="Path"/> is relative to the package root with '/' separators (<c>Payload/App.app/Info.plist</c> for an IPA).</summary>
public sealed record BundleFile(string Path, long Size, bool IsSymlink = false, string? SymlinkTarget = null)
{
    public string Name => System.IO.Path.GetFileName(Path);
    public string Extension => System.IO.Path.GetExtension(Path).ToLowerInvariant();
}

/// <summary>Where the files come from: an IPA (zip), a folder, or a lone plist. Files are read as streams, never extracted to disk.</summary>
public interface IBundleSource : IDisposable
{
    /// <summary>Path of the IPA, folder or plist as the user gave it.</summary>
    string Source { get; }
    IReadOnlyList<BundleFile> Files { get; }

    /// <summary>
    /// Opens a file for reading. The stream may be forward-only (a deflated zip entry) and enforces the
    /// size and ratio limits while it is read, throwing <see cref="BundleFormatException"/> when one is crossed.
    /// </summary>
    Stream Open(BundleFile file);
}

/// <summary>One bundle of the package: the app, an extension, a framework, the Watch app.</summary>
public sealed class AppBundle
{
    public required BundleKind Kind { get; init; }

    /// <summary>Path of the bundle folder inside the package (<c>Payload/App.app/PlugIns/Share.appex</c>).</summary>
    public required string Path { get; init; }

    /// <summary>Folder name without extension (<c>Share</c>).</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path.TrimEnd('/'));

    /// <summary>The parsed Info.plist, or null when the bundle has none.</summary>
    public PlistDocument? InfoPlist { get; init; }

    /// <summary>Package path of the Info.plist (for finding locations).</summary>
    public string? InfoPlistPath { get; init; }

    /// <summary>The bundle's main executable (<c>CFBundleExecutable</c>, else the file named like the bundle), if present.</summary>
    public BundleFile? Executable { get; init; }

    /// <summary>Files that belong to this bundle and not to a bundle nested in it.</summary>
    public required IReadOnlyList<BundleFile> Files { get; init; }

    public AppBundle? Parent { get; init; }

    /// <summary>The Info.plist root dict, or null.</summary>
    public PlistDict? Info => InfoPlist?.Root as PlistDict;

    public override string ToString() => $"{Kind} {Path}";
}

/// <summary>An opened app: every bundle found in it and access to its files.</summary>
public sealed class AppPackage(IBundleSource files, IReadOnlyList<AppBundle> bundles) : IDisposable
{
    public IBundleSource Files { get; } = files;
    public string Source => Files.Source;

    /// <summary>All bundles, the main app first, then nested bundles depth-first.</summary>
    public IReadOnlyList<AppBundle> Bundles { get; } = bundles;
    public AppBundle Main => Bundles[0];

    /// <summary>
    /// Defects that did not stop the package from being read: a nested bundle's unreadable Info.plist, several
    /// main apps, duplicate zip entries, a symlinked executable pointing outside the package. Each names file and entry.
    /// </summary>
    public IReadOnlyList<MstgInputException> Problems { get; init; } = [];

    public void Dispose() => Files.Dispose();
}

/// <summary>Limits that keep a hostile IPA from exhausting the machine. Every one is configurable.</summary>
public sealed record BundleLimits
{
    public int MaxEntries { get; init; } = 200_000;
    public long MaxEntrySize { get; init; } = 4L << 30;
    public long MaxTotalSize { get; init; } = 32L << 30;
    /// <summary>Largest allowed uncompressed/compressed ratio of a single entry (zip bombs reach thousands).</summary>
    public double MaxCompressionRatio { get; init; } = 1000;
    /// <summary>
    /// Entries smaller than this (uncompressed) are not ratio-checked: a few KB of zeros legitimately deflate
    /// past 1000:1 but cannot hurt anyone; bombs matter only once the expansion is large.
    /// </summary>
    public long MinSizeForRatioCheck { get; init; } = 1L << 20;
    /// <summary>Largest Info.plist read into memory.</summary>
    public long MaxPlistSize { get; init; } = 16L << 20;
    /// <summary>
    /// Longest package path, in UTF-8 bytes. iOS (like macOS) has PATH_MAX 1024 and APFS NAME_MAX 255, and an app is
    /// installed under a container path of about 100 bytes, so no file of a real app has a longer path inside its
    /// package; 4096 (Linux PATH_MAX) leaves a wide margin. Longer entries are skipped and the scan is incomplete.
    /// </summary>
    public int MaxPathBytes { get; init; } = 4096;
    /// <summary>
    /// Most folder levels in a package path. Real bundles nest a few levels (Payload/App.app/PlugIns/X.appex/
    /// Frameworks/Y.framework/Versions/A/Resources/...) and web content rarely passes 30; 128 leaves a wide margin.
    /// Deeper entries are skipped and the scan is incomplete.
    /// </summary>
    public int MaxPathDepth { get; init; } = 128;

    public static BundleLimits Default { get; } = new();
}

/// <summary>Bad package input: zip-slip path, bomb, broken zip, missing Payload … Names the file and the entry.</summary>
public sealed class BundleFormatException(string source, string place, string problem, Exception? inner = null)
    : MstgInputException(source, place, problem, inner);
