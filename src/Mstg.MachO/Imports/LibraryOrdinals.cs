namespace Mstg.MachO.Imports;

/// <summary>
/// Turns a library ordinal into the install name of a dylib. Ordinals count the dylib-loading commands
/// (LC_LOAD_DYLIB, _WEAK_, _REEXPORT_, _LAZY_, _UPWARD_) from 1; 0, -1, -2 and -3 are the special
/// self / main-executable / flat-lookup / weak-lookup values, which name no dylib.
/// An ordinal past the dylib list is kept as an import without library plus one warning per ordinal:
/// refusing the whole file for one bad ordinal would hide every other finding of a real app.
/// </summary>
internal sealed class LibraryOrdinals(IReadOnlyList<DylibReference> dylibs, ICollection<MachOWarning> warnings)
{
    public const int Self = 0;
    public const int MainExecutable = -1;
    public const int FlatLookup = -2;
    public const int WeakLookup = -3;

    private readonly HashSet<int> _reported = [];

    public string? Resolve(int ordinal, string symbol, string origin)
    {
        if (ordinal >= 1 && ordinal <= dylibs.Count) return dylibs[ordinal - 1].Path;
        if (ordinal is Self or MainExecutable or FlatLookup or WeakLookup) return null;
        if (_reported.Add(ordinal))
            warnings.Add(new(MachOWarningKind.LibraryOrdinalOutOfRange, $"{origin}: library ordinal {ordinal} (first seen for {symbol}) is out of range; the image loads {dylibs.Count} dylibs, so the import has no library"));
        return null;
    }
}

/// <summary>Collects imports from several structures, keeping the first sighting of each (name, library) pair.</summary>
internal sealed class ImportCollector
{
    private readonly List<ImportedSymbol> _imports = [];
    private readonly HashSet<(string, string?)> _seen = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public IReadOnlyList<ImportedSymbol> Imports => _imports;

    public bool HasName(string name) => _names.Contains(name);

    public void Add(ImportedSymbol symbol)
    {
        if (!_seen.Add((symbol.Name, symbol.Library))) return;
        _names.Add(symbol.Name);
        _imports.Add(symbol);
    }
}
