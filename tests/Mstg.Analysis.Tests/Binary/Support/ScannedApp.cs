using Mstg.Analysis.Rules;
using Mstg.Bundles;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Toolchain;
using Mstg.MachO;

namespace Mstg.Analysis.Tests.Binary.Support;

/// <summary>
/// A real package opened the way the scanner will open it: an IPA written by <see cref="IpaBuilder"/>, read by
/// <see cref="AppPackageReader"/>, each executable parsed by <see cref="MachOReader"/>, one <see cref="BundleContext"/>
/// per bundle. Only the rule under test is run, so assertions see that rule's findings alone.
/// </summary>
public sealed class ScannedApp : IDisposable
{
    private readonly string _ipa;

    private ScannedApp(string ipa, AppPackage package, IReadOnlyList<BundleContext> contexts)
    {
        _ipa = ipa;
        Package = package;
        Contexts = contexts;
    }

    public AppPackage Package { get; }
    public IReadOnlyList<BundleContext> Contexts { get; }
    public BundleContext Main => Contexts[0];

    public static ScannedApp Open(IpaBuilder builder, ScanOptions? options = null)
    {
        var ipa = builder.WriteIpa();
        var package = AppPackageReader.Open(ipa);
        var contexts = package.Bundles.Select(b => ContextFor(package, b, options ?? new ScanOptions())).ToList();
        return new ScannedApp(ipa, package, contexts);
    }

    /// <summary>An app whose executable is <paramref name="executable"/>, with optional extra files and Info.plist keys.</summary>
    public static ScannedApp WithExecutable(byte[] executable, Action<IpaBuilder>? more = null, string infoExtra = "", ScanOptions? options = null)
    {
        var builder = new IpaBuilder().AddApp("App", executable,
            infoPlistXml: PlistXml.InfoPlist("App", "org.mstg.test.app", extraDictBody: infoExtra));
        more?.Invoke(builder);
        return Open(builder, options);
    }

    public static BundleContext ContextFor(AppPackage package, AppBundle bundle, ScanOptions options)
    {
        MachOFile? executable = null;
        MstgInputException? error = null;
        if (bundle.Executable is { } file)
        {
            try
            {
                using var stream = package.Files.Open(file);
                executable = MachOReader.Read(stream, file.Path);
            }
            catch (MstgInputException e) { error = e; }
        }
        return new BundleContext { Package = package, Bundle = bundle, Options = options, Executable = executable, ExecutableError = error };
    }

    public IReadOnlyList<Finding> Run(IBundleRule rule) => rule.Evaluate(Main).ToList();
    public IReadOnlyList<Finding> RunAll(IBundleRule rule) => Contexts.SelectMany(rule.Evaluate).ToList();
    public IReadOnlyList<Finding> Run(IPackageRule rule) => rule.Evaluate(Contexts).ToList();

    public void Dispose()
    {
        Package.Dispose();
        try { File.Delete(_ipa); } catch (IOException) { }
    }
}

/// <summary>Builds real arm64 iOS executables with clang-14 and ld64.lld-14.</summary>
public static class Clang
{
    public static byte[] C(string source) => ClangToolchain.Instance.Build(new MachOSpec { Source = source });

    public static byte[] ObjC(string source) =>
        ClangToolchain.Instance.Build(new MachOSpec { Source = source, Language = SourceLanguage.ObjectiveC });

    public static byte[] Build(MachOSpec spec) => ClangToolchain.Instance.Build(spec);

    /// <summary>Prototypes the C test sources share (no Apple SDK headers exist here).</summary>
    public const string Prelude =
        "typedef void* id; typedef void* SEL;\n" +
        "extern id objc_msgSend(id, SEL, ...);\n" +
        "extern SEL sel_registerName(const char*);\n" +
        "extern int puts(const char*);\n";
}
