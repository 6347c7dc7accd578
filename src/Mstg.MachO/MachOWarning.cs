namespace Mstg.MachO;

/// <summary>
/// Every way the reader can leave part of an image unread or uncertain. Each one means the image as read is not
/// the whole image, so the scanner turns every warning into an input problem and the scan into <c>incomplete</c>.
/// </summary>
public enum MachOWarningKind
{
    /// <summary>A table or bind stream is larger than <see cref="MachOReadOptions.MaxRangeBytes"/> and was not read.</summary>
    RangeTooLarge,
    /// <summary>A string section is larger than <see cref="MachOReadOptions.MaxRangeBytes"/>; only its start was read.</summary>
    StringSectionTruncated,
    /// <summary><see cref="MachOReadOptions.MaxBytesPerSlice"/> was spent before this range.</summary>
    ReadBudgetSpent,
    /// <summary>More symbol table entries than <see cref="MachOReadOptions.MaxSymbols"/>.</summary>
    SymbolLimit,
    /// <summary>More strings than <see cref="MachOReadOptions.MaxStrings"/>; later strings were not kept.</summary>
    StringLimit,
    /// <summary>Strings longer than <see cref="MachOReadOptions.MaxStringLength"/> were kept only in part.</summary>
    StringCut,
    /// <summary>Symbol or import names longer than the decoder keeps were cut.</summary>
    SymbolNameCut,
    /// <summary>Symbol entries whose name lies outside the string table were skipped.</summary>
    SymbolNameOutOfRange,
    /// <summary>An import's library ordinal names no loaded dylib, so its library is unknown.</summary>
    LibraryOrdinalOutOfRange,
    /// <summary>Chained-fixups import names are compressed (a format the reader does not decode): no imports from there.</summary>
    ChainedNamesCompressed,
    /// <summary>More chained imports than <see cref="MachOReadOptions.MaxSymbols"/>.</summary>
    ChainedImportLimit,
    /// <summary>String sections lie in the FairPlay-encrypted range and were not read.</summary>
    EncryptedStrings,
    /// <summary>A fat header's CPU type disagrees with the slice's own mach header.</summary>
    FatArchMismatch,
}

/// <summary>Something the reader tolerated or cut short, with its kind and a message naming the structure and the figures.</summary>
public sealed record MachOWarning(MachOWarningKind Kind, string Message)
{
    /// <summary>The <see cref="MachOReadOptions"/> property that caused the cut, or null when no option is involved.</summary>
    public string? Limit => Kind switch
    {
        MachOWarningKind.RangeTooLarge or MachOWarningKind.StringSectionTruncated => nameof(MachOReadOptions.MaxRangeBytes),
        MachOWarningKind.ReadBudgetSpent => nameof(MachOReadOptions.MaxBytesPerSlice),
        MachOWarningKind.SymbolLimit or MachOWarningKind.ChainedImportLimit => nameof(MachOReadOptions.MaxSymbols),
        MachOWarningKind.StringLimit => nameof(MachOReadOptions.MaxStrings),
        MachOWarningKind.StringCut => nameof(MachOReadOptions.MaxStringLength),
        _ => null,
    };

    public override string ToString() => Message;
}
