namespace Mstg.MachO.Format;

/// <summary>Load command numbers from Apple's <c>mach-o/loader.h</c> (LC_REQ_DYLD = 0x80000000 marks the ones dyld must understand).</summary>
internal static class LoadCommandType
{
    public const uint ReqDyld = 0x80000000;

    public const uint Segment = 0x1;
    public const uint Symtab = 0x2;
    public const uint Dysymtab = 0xB;
    public const uint LoadDylib = 0xC;
    public const uint IdDylib = 0xD;
    public const uint LoadWeakDylib = 0x18 | ReqDyld;
    public const uint Segment64 = 0x19;
    public const uint ReexportDylib = 0x1F | ReqDyld;
    public const uint LazyLoadDylib = 0x20;
    public const uint EncryptionInfo = 0x21;
    public const uint DyldInfo = 0x22;
    public const uint DyldInfoOnly = 0x22 | ReqDyld;
    public const uint LoadUpwardDylib = 0x23 | ReqDyld;
    public const uint VersionMinMacOS = 0x24;
    public const uint VersionMinIPhoneOS = 0x25;
    public const uint EncryptionInfo64 = 0x2C;
    public const uint VersionMinTvOS = 0x2F;
    public const uint VersionMinWatchOS = 0x30;
    public const uint BuildVersion = 0x32;
    public const uint DyldChainedFixups = 0x34 | ReqDyld;

    /// <summary>Commands that are a <c>linkedit_data_command</c> (dataoff, datasize) pointing into __LINKEDIT.</summary>
    public static bool IsLinkeditData(uint cmd) => cmd is 0x1D or 0x1E or 0x26 or 0x29 or 0x2B or 0x2E or (0x33 | ReqDyld) or (0x34 | ReqDyld) or 0x36;

    private static readonly Dictionary<uint, string> Names = new()
    {
        [0x1] = "LC_SEGMENT", [0x2] = "LC_SYMTAB", [0x3] = "LC_SYMSEG", [0x4] = "LC_THREAD", [0x5] = "LC_UNIXTHREAD",
        [0x6] = "LC_LOADFVMLIB", [0x7] = "LC_IDFVMLIB", [0x8] = "LC_IDENT", [0x9] = "LC_FVMFILE", [0xA] = "LC_PREPAGE",
        [0xB] = "LC_DYSYMTAB", [0xC] = "LC_LOAD_DYLIB", [0xD] = "LC_ID_DYLIB", [0xE] = "LC_LOAD_DYLINKER",
        [0xF] = "LC_ID_DYLINKER", [0x10] = "LC_PREBOUND_DYLIB", [0x11] = "LC_ROUTINES", [0x12] = "LC_SUB_FRAMEWORK",
        [0x13] = "LC_SUB_UMBRELLA", [0x14] = "LC_SUB_CLIENT", [0x15] = "LC_SUB_LIBRARY", [0x16] = "LC_TWOLEVEL_HINTS",
        [0x17] = "LC_PREBIND_CKSUM", [0x18 | ReqDyld] = "LC_LOAD_WEAK_DYLIB", [0x19] = "LC_SEGMENT_64",
        [0x1A] = "LC_ROUTINES_64", [0x1B] = "LC_UUID", [0x1C | ReqDyld] = "LC_RPATH", [0x1D] = "LC_CODE_SIGNATURE",
        [0x1E] = "LC_SEGMENT_SPLIT_INFO", [0x1F | ReqDyld] = "LC_REEXPORT_DYLIB", [0x20] = "LC_LAZY_LOAD_DYLIB",
        [0x21] = "LC_ENCRYPTION_INFO", [0x22] = "LC_DYLD_INFO", [0x22 | ReqDyld] = "LC_DYLD_INFO_ONLY",
        [0x23 | ReqDyld] = "LC_LOAD_UPWARD_DYLIB", [0x24] = "LC_VERSION_MIN_MACOSX", [0x25] = "LC_VERSION_MIN_IPHONEOS",
        [0x26] = "LC_FUNCTION_STARTS", [0x27] = "LC_DYLD_ENVIRONMENT", [0x28 | ReqDyld] = "LC_MAIN",
        [0x29] = "LC_DATA_IN_CODE", [0x2A] = "LC_SOURCE_VERSION", [0x2B] = "LC_DYLIB_CODE_SIGN_DRS",
        [0x2C] = "LC_ENCRYPTION_INFO_64", [0x2D] = "LC_LINKER_OPTION", [0x2E] = "LC_LINKER_OPTIMIZATION_HINT",
        [0x2F] = "LC_VERSION_MIN_TVOS", [0x30] = "LC_VERSION_MIN_WATCHOS", [0x31] = "LC_NOTE", [0x32] = "LC_BUILD_VERSION",
        [0x33 | ReqDyld] = "LC_DYLD_EXPORTS_TRIE", [0x34 | ReqDyld] = "LC_DYLD_CHAINED_FIXUPS",
        [0x35 | ReqDyld] = "LC_FILESET_ENTRY", [0x36] = "LC_ATOM_INFO",
    };

    /// <summary>The <c>LC_*</c> name, or <c>LC_0x…</c> for numbers this reader does not know.</summary>
    public static string NameOf(uint cmd) => Names.TryGetValue(cmd, out var name) ? name : $"LC_0x{cmd:X}";

    public static DylibKind? DylibKindOf(uint cmd) => cmd switch
    {
        LoadDylib => DylibKind.Load,
        LoadWeakDylib => DylibKind.Weak,
        ReexportDylib => DylibKind.Reexport,
        LazyLoadDylib => DylibKind.Lazy,
        LoadUpwardDylib => DylibKind.Upward,
        _ => null,
    };
}
