namespace Mstg.MachO.Format;

/// <summary>A byte range a load command points at, relative to the start of its slice.</summary>
/// <param name="Owner">The load command, for messages: <c>load command 7 (LC_SYMTAB)</c>.</param>
internal readonly record struct SliceRange(long Offset, long Size, string Owner, string Part)
{
    public long End => Offset + Size;
    public string Describe => $"{Owner} {Part}";
}

internal sealed record SectionEntry(MachOSection Section, uint Flags, string Owner)
{
    private const uint SectionTypeMask = 0xFF;
    public const uint CStringLiterals = 0x2;

    public uint Type => Flags & SectionTypeMask;

    /// <summary>Zero-fill sections (S_ZEROFILL, S_GB_ZEROFILL, S_THREAD_LOCAL_ZEROFILL) occupy no file bytes.</summary>
    public bool HasFileData => Section.Size > 0 && Type is not (0x1 or 0xC or 0x12);
}

internal sealed record SymtabCommand(string Owner, uint SymbolOffset, uint SymbolCount, uint StringOffset, uint StringSize);

internal sealed record DyldInfoCommand(string Owner, string Name, SliceRange Bind, SliceRange WeakBind, SliceRange LazyBind);

/// <summary>What the mach header and load commands of one slice say, before any range is read.</summary>
internal sealed class SliceLayout
{
    public required bool Is64 { get; init; }
    public required uint CpuType { get; init; }
    public required uint CpuSubtype { get; init; }
    public required MachOFileType FileType { get; init; }
    public required uint Flags { get; init; }
    /// <summary>Header plus <c>sizeofcmds</c>: the prefix already in memory.</summary>
    public required int CommandsEnd { get; init; }

    public List<string> LoadCommands { get; } = [];
    public List<DylibReference> Dylibs { get; } = [];
    public List<SectionEntry> Sections { get; } = [];
    public List<MachOWarning> Warnings { get; } = [];
    public string? InstallName { get; set; }
    public EncryptionInfo? Encryption { get; set; }
    public BuildVersion? Build { get; set; }
    public SymtabCommand? Symtab { get; set; }
    public DyldInfoCommand? DyldInfo { get; set; }
    public SliceRange? ChainedFixups { get; set; }
    /// <summary>Furthest byte (slice-relative) any load command points at; the slice must be at least this long.</summary>
    public long DeclaredEnd { get; set; }
    /// <summary>Highest file offset any segment covers: the slice size when the input length is unknown.</summary>
    public long SegmentsFileEnd { get; set; }

    private const uint TwoLevelNamespace = 0x80;
    public bool IsTwoLevel => (Flags & TwoLevelNamespace) != 0;
}
