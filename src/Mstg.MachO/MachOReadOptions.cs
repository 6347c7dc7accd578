namespace Mstg.MachO;

/// <summary>
/// Limits and choices for <see cref="MachOReader"/>. The limits exist because the scanner feeds untrusted
/// binaries from forward-only streams and must stay inside a fixed memory budget; the defaults read the whole of
/// a 300 MB app binary with millions of strings. Whatever a limit cuts is reported in
/// <see cref="MachOImage.Warnings"/>, and the scanner turns every warning into an <c>incomplete</c> verdict.
/// A hostile forward-only input can make one read allocate up to <see cref="MaxRangeBytes"/> before its end shows
/// the range is not there. Memory held per image: the string sections' bytes (at most <see cref="MaxBytesPerSlice"/>) plus 8 bytes per
/// kept string, and 8–16 more per string once a rule looks a string up (see <see cref="MachOStringTable"/>).
/// </summary>
public sealed record MachOReadOptions
{
    public static MachOReadOptions Default { get; } = new();

    /// <summary>Architectures to read (<c>arm64</c>, <c>x86_64</c> …); null reads every slice.</summary>
    public IReadOnlySet<string>? Architectures { get; init; }

    /// <summary>More load commands than this is treated as a malformed file.</summary>
    public int MaxLoadCommands { get; init; } = 4096;

    /// <summary>Largest <c>sizeofcmds</c> accepted (real apps stay far below 1 MiB).</summary>
    public int MaxLoadCommandBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Largest single byte range (symbol table, string table, bind info, string section) read into memory.
    /// String sections above it are truncated; other structures above it are skipped. Both leave a warning.</summary>
    public int MaxRangeBytes { get; init; } = 512 * 1024 * 1024;

    /// <summary>Budget for all ranges of one slice together; ranges past it are skipped with a warning.</summary>
    public long MaxBytesPerSlice { get; init; } = 512L * 1024 * 1024;

    /// <summary>Symbol table entries read per image (the rest are skipped with a warning).</summary>
    public int MaxSymbols { get; init; } = 2_000_000;

    /// <summary>Whether to collect strings from string sections at all.</summary>
    public bool CollectStrings { get; init; } = true;

    /// <summary>Shortest string kept, in characters.</summary>
    public int MinStringLength { get; init; } = 4;

    /// <summary>Longer strings are cut to this many characters, with a warning. Strings are only decoded when a rule
    /// keeps one, so this bounds one decoded string (2 MiB as UTF-16), not the table; embedded scripts and JSON fit.</summary>
    public int MaxStringLength { get; init; } = 1024 * 1024;

    /// <summary>Strings kept per image; collection stops with a warning after that. At 8 bytes each (16 more once
    /// indexed) the limit bounds the table at about 400 MB; real apps of 300 MB have a few million.</summary>
    public int MaxStrings { get; init; } = 16_000_000;

    /// <summary>Most slices accepted in a fat header (a Java class file shares the 0xCAFEBABE magic and shows up as thousands).</summary>
    public int MaxFatArchitectures { get; init; } = 64;
}
