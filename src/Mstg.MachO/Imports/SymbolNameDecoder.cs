using System.Text;

namespace Mstg.MachO.Imports;

/// <summary>
/// Decodes NUL-terminated symbol names from a string table or symbol pool. A hostile file can point a million
/// entries at one 64 MiB run of bytes; so a name is cut at <see cref="MaxNameBytes"/>, the terminator is only looked
/// for within that window, and entries sharing an offset share one string.
/// </summary>
internal sealed class SymbolNameDecoder
{
    /// <summary>Real symbol names (even long Swift manglings) stay well below this.</summary>
    public const int MaxNameBytes = 4096;

    private readonly Dictionary<uint, string> _byOffset = new();

    /// <summary>How many names were cut at <see cref="MaxNameBytes"/> (reported as one warning).</summary>
    public int Truncated { get; private set; }

    /// <summary>The name at <paramref name="offset"/>, or null when no terminator lies within the pool and the window.</summary>
    public string? Decode(ReadOnlySpan<byte> pool, uint offset)
    {
        if (_byOffset.TryGetValue(offset, out var known)) return known;
        var rest = pool[(int)offset..];
        var window = rest.Length > MaxNameBytes ? rest[..MaxNameBytes] : rest;
        var nul = window.IndexOf((byte)0);
        if (nul < 0 && rest.Length <= MaxNameBytes) return null;
        if (nul < 0) Truncated++;
        var name = Encoding.UTF8.GetString(nul < 0 ? window : window[..nul]);
        _byOffset[offset] = name;
        return name;
    }
}
