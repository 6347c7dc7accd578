namespace Mstg.Bundles.Discovery;

/// <summary>
/// The folders of a package as a tree. Each folder is stored once, as its own name under its parent, so the
/// bookkeeping grows with the total length of the names. (Storing every ancestor folder as a full path string
/// grows with the square of the depth: three zip entries with 65 KB names of one-letter folders took 6.5 GB.)
/// Lookups hash segments as spans of the path, so walking a path allocates nothing.
/// </summary>
internal sealed class FolderTree
{
    public sealed class Folder
    {
        private readonly Dictionary<string, Folder> _children = new(StringComparer.Ordinal);

        /// <summary>Index of the bundle this folder is the root of, or -1.</summary>
        public int Bundle { get; set; } = -1;

        public Folder? Child(ReadOnlySpan<char> name) =>
            _children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var child) ? child : null;

        public Folder AddChild(ReadOnlySpan<char> name)
        {
            var lookup = _children.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(name, out var child)) lookup[name] = child = new Folder();
            return child;
        }

        /// <summary>Names of the subfolders in ordinal order, so discovery picks the same bundle on every machine.</summary>
        public IEnumerable<string> ChildNames => _children.Keys.Order(StringComparer.Ordinal);
    }

    public Folder Root { get; } = new();

    /// <summary>Records every folder above the file <paramref name="filePath"/> (a '/'-separated package path).</summary>
    public void AddFoldersOf(string filePath)
    {
        var folder = Root;
        var rest = filePath.AsSpan();
        for (var slash = rest.IndexOf('/'); slash >= 0; slash = rest.IndexOf('/'))
        {
            folder = folder.AddChild(rest[..slash]);
            rest = rest[(slash + 1)..];
        }
    }

    /// <summary>The folder at <paramref name="folderPath"/> ("" for the root), or null when the package has none there.</summary>
    public Folder? Find(string folderPath)
    {
        var folder = Root;
        if (folderPath.Length == 0) return folder;
        foreach (var range in folderPath.AsSpan().Split('/'))
        {
            folder = folder.Child(folderPath.AsSpan()[range]);
            if (folder is null) return null;
        }
        return folder;
    }

    /// <summary>The deepest folder above the file <paramref name="filePath"/> that is a bundle's root, or -1: one walk down the path.</summary>
    public int OwningBundle(string filePath)
    {
        var owner = -1;
        Folder? folder = Root;
        var rest = filePath.AsSpan();
        for (var slash = rest.IndexOf('/'); slash >= 0 && folder is not null; slash = rest.IndexOf('/'))
        {
            folder = folder.Child(rest[..slash]);
            if (folder is { Bundle: >= 0 }) owner = folder.Bundle;
            rest = rest[(slash + 1)..];
        }
        return owner;
    }
}
