using Mstg.Bundles;
using Mstg.Plist;

namespace Mstg.Analysis.Tests.Ats;

/// <summary>A plist-only package, so rules can be driven through <see cref="IBundleRule"/> exactly as the scanner does.</summary>
internal static class TestBundles
{
    public static BundleContext Context(PlistDict info, ScanOptions? options = null)
    {
        var bundle = new AppBundle
        {
            Kind = BundleKind.PlistOnly, Path = InfoPlists.Bundle, Files = [],
            InfoPlist = new PlistDocument(info, PlistFormat.Xml, "Info.plist"), InfoPlistPath = $"{InfoPlists.Bundle}/Info.plist",
        };
        return new BundleContext { Package = new AppPackage(new NoFiles(), [bundle]), Bundle = bundle, Options = options ?? new ScanOptions() };
    }

    private sealed class NoFiles : IBundleSource
    {
        public string Source => "Info.plist";
        public IReadOnlyList<BundleFile> Files => [];
        public Stream Open(BundleFile file) => throw new FileNotFoundException(file.Path);
        public void Dispose() { }
    }
}
