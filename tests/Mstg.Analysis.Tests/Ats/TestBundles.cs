using Mstg.Analysis.Rules;
using Mstg.Bundles;
using Mstg.MachO;
using Mstg.Plist;

namespace Mstg.Analysis.Tests.Ats;

/// <summary>A plist-only package, so rules can be driven through <see cref="IBundleRule"/> exactly as the scanner does.</summary>
internal static class TestBundles
{
    public static BundleContext Context(PlistDict info, ScanOptions? options = null, BuildVersion? build = null)
    {
        var bundle = new AppBundle
        {
            Kind = BundleKind.PlistOnly, Path = InfoPlists.Bundle, Files = [],
            InfoPlist = new PlistDocument(info, PlistFormat.Xml, "Info.plist"), InfoPlistPath = $"{InfoPlists.Bundle}/Info.plist",
        };
        return new BundleContext
        {
            Package = new AppPackage(new NoFiles(), [bundle]), Bundle = bundle, Options = options ?? new ScanOptions(),
            Executable = build is null ? null : Executable(build),
        };
    }

    /// <summary>The parsed-binary model as the Mach-O reader would hand it over: one arm64 image with only a build version.</summary>
    private static MachOFile Executable(BuildVersion build) => new("App", false,
    [
        new MachOImage
        {
            Architecture = "arm64", CpuType = 0x0100000C, CpuSubtype = 0, FileType = MachOFileType.Execute, SliceOffset = 0, SliceSize = 0,
            Dylibs = [], Build = build, Symbols = [], Imports = [], Sections = [], Strings = [], LoadCommands = [build.LoadCommand],
        },
    ]);

    private sealed class NoFiles : IBundleSource
    {
        public string Source => "Info.plist";
        public IReadOnlyList<BundleFile> Files => [];
        public Stream Open(BundleFile file) => throw new FileNotFoundException(file.Path);
        public void Dispose() { }
    }
}
