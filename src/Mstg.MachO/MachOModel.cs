namespace Mstg.MachO;

/// <summary>A Mach-O file: one image when thin, one per architecture when fat (universal).</summary>
public sealed record MachOFile(string Source, bool IsFat, IReadOnlyList<MachOImage> Images)
{
    /// <summary>The slice rules look at first: arm64, then arm64e, then whatever comes first.</summary>
    public MachOImage? Primary =>
        Images.FirstOrDefault(i => i.Architecture == "arm64") ?? Images.FirstOrDefault(i => i.Architecture == "arm64e") ?? Images.FirstOrDefault();
}

public enum MachOFileType { Object = 1, Execute = 2, Dylib = 6, Bundle = 8, Dsym = 10, Other = 0 }

public enum DylibKind { Load, Weak, Reexport, Lazy, Upward }

public sealed record DylibReference(string Path, DylibKind Kind, string CurrentVersion, string CompatibilityVersion)
{
    /// <summary>Framework or library name: <c>Security</c> for <c>/System/Library/Frameworks/Security.framework/Security</c>, <c>libz</c> for <c>/usr/lib/libz.1.dylib</c>.</summary>
    public string Name
    {
        get
        {
            var file = System.IO.Path.GetFileName(Path);
            var dot = file.IndexOf('.');
            return dot > 0 && file.StartsWith("lib", StringComparison.Ordinal) ? file[..dot] : file;
        }
    }
}

/// <summary><c>LC_ENCRYPTION_INFO(_64)</c>: <see cref="CryptId"/> 1 means FairPlay-encrypted (App Store build, not decrypted).</summary>
public sealed record EncryptionInfo(uint CryptOffset, uint CryptSize, uint CryptId)
{
    public bool IsEncrypted => CryptId != 0;
}

/// <summary>Platform numbers of <c>LC_BUILD_VERSION</c> (PLATFORM_IOS = 2 …).</summary>
public enum MachOPlatform { Unknown = 0, MacOS = 1, iOS = 2, tvOS = 3, watchOS = 4, BridgeOS = 5, MacCatalyst = 6, iOSSimulator = 7, tvOSSimulator = 8, watchOSSimulator = 9, DriverKit = 10, visionOS = 11, visionOSSimulator = 12 }

/// <summary>Deployment target and SDK, from <c>LC_BUILD_VERSION</c> or the older <c>LC_VERSION_MIN_*</c>.</summary>
public sealed record BuildVersion(MachOPlatform Platform, Version MinOs, Version Sdk, string LoadCommand);

/// <summary>A symbol table entry.</summary>
public sealed record MachOSymbol(string Name, bool IsExternal, bool IsUndefined, ulong Value);

/// <summary>A symbol the image binds to at load time, from the symbol table, dyld bind opcodes or chained fixups.</summary>
/// <param name="Library">Install name of the dylib it comes from, or null for flat-namespace / dynamic lookup.</param>
/// <param name="Origin">Which structure named it: <c>LC_SYMTAB</c>, <c>LC_DYLD_INFO</c> or <c>LC_DYLD_CHAINED_FIXUPS</c>.</param>
public sealed record ImportedSymbol(string Name, string? Library, bool IsWeak, string Origin)
{
    /// <summary>
    /// The raw library ordinal: 1-based index into the image's dylib load commands, or a special value
    /// (0 self, -1 main executable, -2 flat lookup, -3 weak lookup). When it is out of range the reader keeps the
    /// import with <see cref="Library"/> null and records a warning on the image.
    /// </summary>
    public int LibraryOrdinal { get; init; }
}

public sealed record MachOSection(string Segment, string Name, ulong Address, ulong Size, uint FileOffset)
{
    public string FullName => $"{Segment},{Name}";
}

/// <summary>A string found in a string-bearing section (<c>__cstring</c>, <c>__objc_methname</c>, <c>__objc_classname</c>, <c>__swift5_reflstr</c>, <c>__ustring</c>).</summary>
/// <param name="Section">Segment and section, for example <c>__TEXT,__cstring</c>.</param>
/// <param name="Offset">Offset of the string from the start of its section.</param>
public sealed record MachOString(string Value, string Section, ulong Offset);

/// <summary>One architecture's image.</summary>
public sealed record MachOImage
{
    public required string Architecture { get; init; }
    public required uint CpuType { get; init; }
    public required uint CpuSubtype { get; init; }
    public required MachOFileType FileType { get; init; }
    /// <summary>Offset of this image inside the file (0 for a thin file).</summary>
    public required long SliceOffset { get; init; }
    public required long SliceSize { get; init; }
    public required IReadOnlyList<DylibReference> Dylibs { get; init; }
    /// <summary>The image's own install name from <c>LC_ID_DYLIB</c> (dylibs and frameworks only).</summary>
    public string? InstallName { get; init; }
    public EncryptionInfo? Encryption { get; init; }
    public BuildVersion? Build { get; init; }
    public required IReadOnlyList<MachOSymbol> Symbols { get; init; }
    public required IReadOnlyList<ImportedSymbol> Imports { get; init; }
    public required IReadOnlyList<MachOSection> Sections { get; init; }
    /// <summary>Strings of the string sections, stored compactly (see <see cref="MachOStringTable"/>).</summary>
    public required MachOStringTable Strings { get; init; }

    /// <summary>Names of every load command, in order, for evidence and tests.</summary>
    public required IReadOnlyList<string> LoadCommands { get; init; }

    public bool IsEncrypted => Encryption?.IsEncrypted == true;

    /// <summary>
    /// True when string sections were skipped because they lie inside the FairPlay-encrypted range
    /// (<see cref="IsEncrypted"/>): their bytes are ciphertext, so <see cref="Strings"/> is incomplete.
    /// </summary>
    public bool StringsUnavailable { get; init; }

    /// <summary>Things the reader tolerated or cut short (limits reached, odd ordinals, encrypted strings), in plain words.</summary>
    public IReadOnlyList<MachOWarning> Warnings { get; init; } = [];
}

/// <summary>Bad Mach-O input: names the file, the byte offset and what was wrong.</summary>
public sealed class MachOFormatException(string source, long offset, string problem, Exception? inner = null)
    : MstgInputException(source, $"byte 0x{offset:x}", problem, inner)
{
    public long Offset { get; } = offset;
}
