namespace Mstg.Bundles.Paths;

/// <summary>
/// Package paths are relative, '/'-separated and never leave the package root. This is the one place that
/// turns untrusted names (zip entry names, symlink targets) into such paths or refuses them.
/// </summary>
public static class PackagePath
{
    /// <summary>
    /// Checks a zip entry name and returns it normalised (empty and "." segments dropped), or the reason it is
    /// refused. Refused: absolute paths, drive letters, backslashes, ".." segments, control characters.
    /// Backslashes are refused outright rather than read as separators because Windows tools treat them as
    /// separators and Unix tools do not, so the same name would land in different places on different machines.
    /// </summary>
    public static bool TryNormalizeEntryName(string name, out string normalized, out string? problem)
    {
        normalized = "";
        problem = null;
        if (name.Length == 0) { problem = "empty entry name"; return false; }
        if (name[0] == '/') { problem = "absolute path"; return false; }
        if (name.Contains('\\')) { problem = "backslash in name (would be a path separator on Windows)"; return false; }
        if (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':') { problem = "drive letter"; return false; }
        foreach (var c in name)
            if (char.IsControl(c)) { problem = $"control character U+{(int)c:X4} in name"; return false; }

        var kept = new List<string>();
        foreach (var segment in name.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..") { problem = "'..' segment (zip-slip)"; return false; }
            kept.Add(segment);
        }
        if (kept.Count == 0) { problem = "name has no path segments"; return false; }
        normalized = string.Join('/', kept);
        return true;
    }

    /// <summary>
    /// Why a normalised package path breaks the length or depth limit, or null when it does not. Both limits keep
    /// every per-path cost (hashing, printing, walking its folders) small, whatever the zip's names hold.
    /// </summary>
    public static string? BreaksLimits(string path, int maxBytes, int maxDepth)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(path);
        if (bytes > maxBytes) return $"path is {bytes} bytes long, past the {maxBytes}-byte path length limit";
        var depth = path.AsSpan().Count('/') + 1;
        if (depth > maxDepth) return $"path is {depth} levels deep, past the {maxDepth}-level path depth limit";
        return null;
    }

    /// <summary>Folder part of a package path ("" for a top-level name).</summary>
    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    public static string Join(string folder, string name) => folder.Length == 0 ? name : folder + "/" + name;

    /// <summary>True when <paramref name="path"/> lies inside <paramref name="folder"/> (not equal to it).</summary>
    public static bool IsUnder(string path, string folder) =>
        folder.Length == 0 || (path.Length > folder.Length && path[folder.Length] == '/' && path.StartsWith(folder, StringComparison.Ordinal));

    /// <summary>
    /// Where a symlink's target lands, as a package path, or null when the target is absolute or climbs above
    /// the package root. Relative targets are taken from the link's own folder, as the kernel does.
    /// </summary>
    public static string? CombineLinkTarget(string linkPath, string target)
    {
        if (target.Length == 0 || target[0] == '/' || target.Contains('\0')) return null;
        var segments = new List<string>(Parent(linkPath).Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var segment in target.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (segments.Count == 0) return null;
                segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return segments.Count == 0 ? null : string.Join('/', segments);
    }

    /// <summary>A hostile name made safe to print in a message: control characters become \uXXXX, long names are cut.</summary>
    public static string Printable(string name)
    {
        var builder = new System.Text.StringBuilder(Math.Min(name.Length, 300));
        foreach (var c in name.Length > 300 ? name[..300] : name)
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c);
        if (name.Length > 300) builder.Append("...");
        return builder.ToString();
    }
}
