using Mstg.Analysis.Rules;
using Mstg.Bundles;
using Mstg.MachO;

namespace Mstg.Analysis.Tests.Binary.Support;

/// <summary>
/// Hand-built model objects for unit tests of rule logic that needs no real binary (edge cases the compiler will not
/// produce, such as a Swift mangled import). Integration tests use <see cref="ScannedApp"/> with clang-built files.
/// </summary>
public static class ModelBuilder
{
    public static MachOImage Image(IEnumerable<string>? strings = null, IEnumerable<string>? imports = null,
        IEnumerable<string>? defined = null, IEnumerable<string>? dylibs = null, uint cryptId = 0) => new()
    {
        Architecture = "arm64",
        CpuType = 0x0100000C,
        CpuSubtype = 0,
        FileType = MachOFileType.Execute,
        SliceOffset = 0,
        SliceSize = 0x10000,
        Dylibs = (dylibs ?? []).Select(d => new DylibReference(d, DylibKind.Load, "1.0.0", "1.0.0")).ToList(),
        Encryption = new EncryptionInfo(0x4000, 0x1000, cryptId),
        Symbols = (defined ?? []).Select(d => new MachOSymbol("_" + d, true, false, 0x1000)).ToList(),
        Imports = (imports ?? []).Select(i => new ImportedSymbol("_" + i, null, false, "LC_DYLD_INFO")).ToList(),
        Sections = [new MachOSection("__TEXT", "__cstring", 0x8000, 0x1000, 0x8000)],
        Strings = MachOStringTable.From((strings ?? []).Select((s, n) => new MachOString(s, "__TEXT,__cstring", (ulong)(n * 0x40)))),
        LoadCommands = ["LC_SEGMENT_64", "LC_ENCRYPTION_INFO_64"],
    };

    /// <summary>A context for one bundle with <paramref name="image"/> as executable and <paramref name="files"/> (path → content) as its files.</summary>
    public static BundleContext Context(MachOImage? image, IReadOnlyDictionary<string, byte[]>? files = null,
        BundleKind kind = BundleKind.App, string path = "Payload/App.app", ScanOptions? options = null, Plist.PlistDict? info = null)
    {
        var source = new MemorySource(files ?? new Dictionary<string, byte[]>());
        var exe = image is null ? null : new BundleFile($"{path}/{System.IO.Path.GetFileNameWithoutExtension(path)}", 0x10000);
        var bundle = new AppBundle
        {
            Kind = kind,
            Path = path,
            Executable = exe,
            Files = source.Files,
            InfoPlist = info is null ? null : new Plist.PlistDocument(info, Plist.PlistFormat.Xml, path + "/Info.plist"),
            InfoPlistPath = path + "/Info.plist",
        };
        var package = new AppPackage(source, [bundle]);
        return new BundleContext
        {
            Package = package, Bundle = bundle, Options = options ?? new ScanOptions(),
            Executable = image is null ? null : new MachOFile("test", false, [image]),
        };
    }

    /// <summary>Files held in memory; opening one returns a fresh read-only stream.</summary>
    private sealed class MemorySource(IReadOnlyDictionary<string, byte[]> files) : IBundleSource
    {
        public string Source => "memory";
        public IReadOnlyList<BundleFile> Files { get; } = files.Select(f => new BundleFile(f.Key, f.Value.Length)).ToList();
        public Stream Open(BundleFile file) => new MemoryStream(files[file.Path], writable: false);
        public void Dispose() { }
    }
}
