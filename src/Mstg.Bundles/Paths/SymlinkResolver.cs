namespace Mstg.Bundles.Paths;

/// <summary>
/// Follows symlinks recorded in a package without ever touching the real file system: a link may only lead to
/// another path of the same package. Links that are absolute, climb above the root, dangle or loop resolve to null.
/// Folder links in the middle of a path (Frameworks/A.framework/Versions/Current/...) are followed too.
/// </summary>
public sealed class SymlinkResolver(Dictionary<string, BundleFile> filesByPath)
{
    // Folder prefixes are looked up as spans of the path: cutting each one out as a string would cost the square of the depth.
    private readonly Dictionary<string, BundleFile>.AlternateLookup<ReadOnlySpan<char>> _byPrefix =
        filesByPath.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>More hops than any real bundle needs; stops loops (a → b → a).</summary>
    public const int MaxHops = 32;

    public BundleFile? Resolve(string path, out string? problem)
    {
        var current = path;
        for (var hop = 0; hop <= MaxHops; hop++)
        {
            if (filesByPath.TryGetValue(current, out var file))
            {
                if (!file.IsSymlink) { problem = null; return file; }
                var next = PackagePath.CombineLinkTarget(file.Path, file.SymlinkTarget ?? "");
                if (next is null) { problem = $"symlink {file.Path} -> {file.SymlinkTarget} points outside the package"; return null; }
                current = next;
                continue;
            }

            if (!ReplaceFolderLink(ref current, out problem)) return null;
        }
        problem = $"more than {MaxHops} symlink hops resolving {path} (a loop?)";
        return null;
    }

    /// <summary>Rewrites the deepest folder of <paramref name="current"/> that is a symlink; false when none is.</summary>
    private bool ReplaceFolderLink(ref string current, out string? problem)
    {
        for (var cut = current.LastIndexOf('/'); cut > 0; cut = current.LastIndexOf('/', cut - 1))
        {
            if (!_byPrefix.TryGetValue(current.AsSpan(0, cut), out var link) || !link.IsSymlink) continue;
            var target = PackagePath.CombineLinkTarget(link.Path, link.SymlinkTarget ?? "");
            if (target is null) { problem = $"symlink {link.Path} -> {link.SymlinkTarget} points outside the package"; return false; }
            current = target + current[cut..];
            problem = null;
            return true;
        }
        problem = $"{current} is not in the package";
        return false;
    }
}
