using Mstg.Bundles.Discovery;
using Mstg.Bundles.Sources;
using Mstg.Bundles.Zip;

namespace Mstg.Bundles;

/// <summary>
/// Opens what the user points the scanner at and finds its bundles:
/// <list type="bullet">
/// <item>a zip (recognised by its magic bytes, whatever its extension) holding <c>Payload/*.app</c>: an IPA;</item>
/// <item>a folder holding <c>Payload/</c> (an unzipped IPA): paths are the same as in the IPA;</item>
/// <item>an <c>.app</c> folder, or any folder with an Info.plist at its top: paths start with the folder's own
/// name (<c>App.app/Info.plist</c>) so bundle paths and names mean the same as for an IPA;</item>
/// <item>a folder holding <c>*.app</c> folders (a Payload folder itself);</item>
/// <item>any other file is read as a lone Info.plist: one <see cref="BundleKind.PlistOnly"/> bundle without files.</item>
/// </list>
/// Every failure is a <see cref="BundleFormatException"/> naming the file and the entry.
/// </summary>
public static class AppPackageReader
{
    private static readonly byte[][] ZipMagics = [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06]];

    public static AppPackage Open(string path, BundleLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        limits ??= BundleLimits.Default;
        if (Directory.Exists(path)) return OpenFolder(path, limits);
        if (!File.Exists(path)) throw new BundleFormatException(path, "path", "no such file or folder");
        // Checked before the first read: opening a FIFO waits for a writer, and a device may never end.
        if (FileKind.NotRegular(Path.GetFullPath(path), followLinks: true) is { } special)
            throw new BundleFormatException(path, "file", $"is {special}, not an .ipa, an .app folder or an Info.plist");

        if (StartsWithZipMagic(path)) return OpenZip(path, limits);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".ipa" or ".zip")
            throw new BundleFormatException(path, "byte 0x0", $"a {extension} file that is not a zip archive (no PK signature)");
        return OpenPlist(path, limits);
    }

    private static AppPackage OpenZip(string path, BundleLimits limits)
    {
        var source = ZipBundleSource.Open(path, limits);
        var duplicates = source.DuplicatePaths.Select(duplicate => (MstgInputException)new BundleFormatException(path, $"entry {duplicate}",
            "the zip holds this name more than once; the last entry is used, as extraction would leave it"));
        return Discover(source, limits, mainPath: null, appsFolder: "Payload", duplicates, source.Skipped);
    }

    private static AppPackage OpenFolder(string path, BundleLimits limits)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Directory.Exists(Path.Combine(full, "Payload")))
            return DiscoverFolder(new FolderBundleSource(path, full, limits), limits, mainPath: null, appsFolder: "Payload");

        var name = Path.GetFileName(full);
        var parent = Path.GetDirectoryName(full);
        if (parent is not null && name.Length > 0
            && (name.EndsWith(".app", StringComparison.OrdinalIgnoreCase) || File.Exists(Path.Combine(full, "Info.plist"))))
            return DiscoverFolder(new FolderBundleSource(path, parent, limits, only: name), limits, mainPath: name, appsFolder: "");

        // Anything else is taken as a folder of apps (a Payload folder); discovery says so if it holds none.
        return DiscoverFolder(new FolderBundleSource(path, full, limits), limits, mainPath: null, appsFolder: "");
    }

    private static AppPackage DiscoverFolder(FolderBundleSource source, BundleLimits limits, string? mainPath, string appsFolder) =>
        Discover(source, limits, mainPath, appsFolder, [], source.Skipped);

    private static AppPackage OpenPlist(string path, BundleLimits limits)
    {
        var source = new SingleFileSource(path, limits);
        try
        {
            var plist = InfoPlistLoader.Load(source, source.File, limits, path);
            // A text file or a plist of another shape is not an Info.plist: scanning it would "pass" with nothing checked.
            if (plist.Root is not Mstg.Plist.PlistDict)
                throw new BundleFormatException(path, "root", $"the plist's root is a <{plist.Root.TypeName}>, not the <dict> an Info.plist has");
            var bundle = new AppBundle
            {
                Kind = BundleKind.PlistOnly,
                Path = source.File.Path,
                InfoPlist = plist,
                InfoPlistPath = source.File.Path,
                Files = [],
            };
            return new AppPackage(source, [bundle]);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static AppPackage Discover(IBundleSource source, BundleLimits limits, string? mainPath, string appsFolder,
        IEnumerable<MstgInputException> earlierProblems, IReadOnlyList<BundleFormatException> skipped)
    {
        try
        {
            return BundleDiscovery.Discover(source, limits, mainPath, appsFolder, earlierProblems, skipped);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static bool StartsWithZipMagic(string path)
    {
        Span<byte> head = stackalloc byte[4];
        try
        {
            using var file = File.OpenRead(path);
            if (file.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4) return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BundleFormatException(path, "file", $"cannot read it: {e.Message}", e);
        }
        foreach (var magic in ZipMagics)
            if (head.SequenceEqual(magic)) return true;
        return false;
    }
}
