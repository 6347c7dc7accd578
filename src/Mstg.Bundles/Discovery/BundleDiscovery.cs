using Mstg.Bundles.Paths;
using Mstg.Plist;

namespace Mstg.Bundles.Discovery;

/// <summary>
/// Finds the bundles of a package from its file paths alone: the main app, then depth-first its extensions
/// (PlugIns/*.appex), frameworks (Frameworks/*.framework) and Watch apps (Watch/*.app, with their own PlugIns
/// and Frameworks), and the frameworks embedded in extensions.
/// <para>Failure policy: whatever makes the main app unusable (no app, an unreadable or missing Info.plist, or one whose root is not a dict) throws,
/// because every verdict hangs on it. A nested bundle's bad Info.plist or a symlinked executable that leaves the
/// package only becomes an entry of <see cref="AppPackage.Problems"/> and that bundle gets a null InfoPlist or
/// Executable, so one broken widget cannot hide the rest of the app from the scan.</para>
/// </summary>
internal sealed class BundleDiscovery
{
    private sealed record Node(string Path, BundleKind Kind, int Parent);

    private static readonly (string Folder, string Extension, BundleKind Kind)[] AppChildren =
        [("PlugIns", ".appex", BundleKind.AppExtension), ("Frameworks", ".framework", BundleKind.Framework), ("Watch", ".app", BundleKind.WatchApp)];
    private static readonly (string Folder, string Extension, BundleKind Kind)[] WatchAppChildren =
        [("PlugIns", ".appex", BundleKind.WatchExtension), ("Frameworks", ".framework", BundleKind.Framework)];
    private static readonly (string Folder, string Extension, BundleKind Kind)[] ExtensionChildren =
        [("Frameworks", ".framework", BundleKind.Framework)];

    private readonly IBundleSource _source;
    private readonly BundleLimits _limits;
    private readonly FolderTree _folders = new();
    private readonly Dictionary<string, BundleFile> _filesByPath = new(StringComparer.Ordinal);
    private readonly SymlinkResolver _resolver;
    private readonly List<MstgInputException> _problems = [];
    private IReadOnlyList<BundleFormatException> _skipped = [];

    private BundleDiscovery(IBundleSource source, BundleLimits limits)
    {
        _source = source;
        _limits = limits;
        foreach (var file in source.Files)
        {
            _filesByPath[file.Path] = file;
            _folders.AddFoldersOf(file.Path);
        }
        _resolver = new SymlinkResolver(_filesByPath);
    }

    /// <param name="mainPath">The main app's folder, or null to look for exactly one <c>*.app</c> in <paramref name="appsFolder"/>.</param>
    /// <param name="appsFolder">Where to look for the main app: "Payload" for an IPA, "" for a folder of apps.</param>
    /// <param name="earlierProblems">Problems the source already found (duplicate zip entries …).</param>
    /// <param name="skipped">Entries the source left out (names past the limits, special files); they become problems too.</param>
    public static AppPackage Discover(IBundleSource source, BundleLimits limits, string? mainPath, string appsFolder,
        IEnumerable<MstgInputException> earlierProblems, IReadOnlyList<BundleFormatException> skipped)
    {
        var discovery = new BundleDiscovery(source, limits) { _skipped = skipped };
        discovery._problems.AddRange(earlierProblems);
        discovery._problems.AddRange(skipped);
        var nodes = new List<Node>();
        discovery.Visit(mainPath ?? discovery.FindMainApp(appsFolder), BundleKind.App, -1, nodes);
        var bundles = discovery.Build(nodes);
        return new AppPackage(source, bundles) { Problems = discovery._problems };
    }

    private string FindMainApp(string appsFolder)
    {
        var apps = _folders.Find(appsFolder)?.ChildNames
            .Where(name => name.EndsWith(".app", StringComparison.OrdinalIgnoreCase)).ToList() ?? [];
        var where = appsFolder.Length == 0 ? "*.app" : $"{appsFolder}/*.app";
        if (apps.Count == 0)
            throw new BundleFormatException(_source.Source, appsFolder.Length == 0 ? "top level" : $"{appsFolder}/", $"no {where} bundle found{SkippedNote()}");
        if (apps.Count > 1)
            _problems.Add(new BundleFormatException(_source.Source, $"{appsFolder}/",
                $"{apps.Count} {where} bundles ({string.Join(", ", apps)}); only the first, {apps[0]}, is analysed"));
        return PackagePath.Join(appsFolder, apps[0]);
    }

    private void Visit(string path, BundleKind kind, int parent, List<Node> nodes)
    {
        var index = nodes.Count;
        nodes.Add(new Node(path, kind, parent));
        var nested = kind switch
        {
            BundleKind.App => AppChildren,
            BundleKind.WatchApp => WatchAppChildren,
            BundleKind.AppExtension or BundleKind.WatchExtension => ExtensionChildren,
            _ => [],
        };
        foreach (var (folder, extension, childKind) in nested)
        {
            var container = PackagePath.Join(path, folder);
            foreach (var name in _folders.Find(container)?.ChildNames ?? [])
                if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                    Visit(PackagePath.Join(container, name), childKind, index, nodes);
        }
    }

    private List<AppBundle> Build(List<Node> nodes)
    {
        // Each file belongs to the deepest bundle folder above it: one walk down its path in the folder tree.
        for (var i = 0; i < nodes.Count; i++)
            if (nodes[i].Path.Length > 0 && _folders.Find(nodes[i].Path) is { } folder) folder.Bundle = i;
        var filesOf = nodes.Select(_ => new List<BundleFile>()).ToArray();
        foreach (var file in _source.Files)
            if (_folders.OwningBundle(file.Path) is var owner and >= 0) filesOf[owner].Add(file);

        var bundles = new List<AppBundle>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var (plist, plistPath) = LoadInfoPlist(node);
            bundles.Add(new AppBundle
            {
                Kind = node.Kind,
                Path = node.Path,
                InfoPlist = plist,
                InfoPlistPath = plistPath,
                Executable = FindExecutable(node, plist?.Root as PlistDict),
                Files = filesOf[i],
                Parent = node.Parent < 0 ? null : bundles[node.Parent],
            });
        }
        return bundles;
    }

    private (PlistDocument? Plist, string? Path) LoadInfoPlist(Node node)
    {
        var path = PackagePath.Join(node.Path, "Info.plist");
        if (!_filesByPath.TryGetValue(path, out var file))
        {
            if (node.Kind == BundleKind.App)
                throw new BundleFormatException(_source.Source, $"entry {node.Path}/", $"the main app has no Info.plist{SkippedNote()}");
            return (null, null);
        }
        try
        {
            var plist = InfoPlistLoader.Load(_source, file, _limits, $"{_source.Source}!{path}");
            // iOS refuses to install a bundle whose Info.plist is not a dictionary (an array, a string, an empty file);
            // reading such a bundle as "no keys set" would let every plist rule pass on nothing.
            if (plist.Root is not PlistDict)
                throw new BundleFormatException(_source.Source, $"entry {path}",
                    $"Info.plist's root is a <{plist.Root.TypeName}>, not the <dict> iOS requires: the bundle is invalid");
            return (plist, path);
        }
        catch (BundleFormatException problem) when (node.Kind != BundleKind.App)
        {
            _problems.Add(problem);
            return (null, path);
        }
    }

    /// <summary>When entries were skipped (names too long or too deep, special files), a fatal error says so: the skipped entry may be what is missing.</summary>
    private string SkippedNote() =>
        _skipped.Count == 0 ? "" : $" ({_skipped.Count} entries were skipped, first {_skipped[0].Place}: {_skipped[0].Problem})";

    private BundleFile? FindExecutable(Node node, PlistDict? info)
    {
        var candidates = new List<string>(2);
        if (info?["CFBundleExecutable"] is PlistString { Value: var declared })
        {
            if (declared.Length == 0 || declared is "." or ".." || declared.Contains('/') || declared.Contains('\0'))
                _problems.Add(new BundleFormatException(_source.Source, $"entry {node.Path}/Info.plist",
                    $"CFBundleExecutable '{PackagePath.Printable(declared)}' is not a file name inside the bundle"));
            else
                candidates.Add(PackagePath.Join(node.Path, declared));
        }
        var fallback = PackagePath.Join(node.Path, Path.GetFileNameWithoutExtension(node.Path));
        if (!candidates.Contains(fallback)) candidates.Add(fallback);

        foreach (var candidate in candidates)
        {
            if (!_filesByPath.TryGetValue(candidate, out var file)) continue;
            if (!file.IsSymlink) return file;
            // A symlinked executable is followed only to another file of the package.
            if (_resolver.Resolve(candidate, out var problem) is { } target) return target;
            _problems.Add(new BundleFormatException(_source.Source, $"entry {candidate}", $"executable symlink not followed: {problem}"));
        }
        // Frameworks and extensions may legitimately be binary-less; a main app without one cannot run, and saying so
        // keeps a missing binary from reading as "no insecure code found".
        if (node.Kind == BundleKind.App)
            _problems.Add(new BundleFormatException(_source.Source, $"entry {node.Path}/", $"the main app has no executable (looked for {string.Join(", ", candidates)})"));
        return null;
    }
}
