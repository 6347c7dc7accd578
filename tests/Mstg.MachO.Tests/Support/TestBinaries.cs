using Mstg.Fixtures.Toolchain;

namespace Mstg.MachO.Tests.Support;

/// <summary>
/// The real binaries the tests read, built once by clang-14 + ld64.lld-14 (and cached on disk by the toolchain).
/// The source holds every kind of evidence the reader must find: an http:// URL literal, an ObjC method and a
/// selector, a Swift-style reflection string, a UTF-16 literal, calls into system frameworks, an embedded
/// framework and a weakly linked one.
/// </summary>
public static class TestBinaries
{
    public const string InsecureUrl = "http://insecure.example.com/api";
    public const string Selector = "URLSession:didReceiveChallenge:completionHandler:";
    public const string ObjcMethod = "validateServerTrust:";
    public const string ReflectionString = "pinnedCertificates";
    public const string Utf16String = "https://\u00FCber.example";
    public const string PinningFramework = "@rpath/AFNetworking.framework/AFNetworking";
    public const string OptionalFramework = "@rpath/Optional.framework/Optional";

    public static readonly string AppSource = $$"""
        extern int SecTrustEvaluateWithError(void*, void*);
        extern int socket(int,int,int);
        extern int AFPinningEvaluate(void*);
        extern int OptionalFeature(void) __attribute__((weak_import));
        __attribute__((section("__TEXT,__swift5_reflstr"), used)) static const char reflstr[] = "{{ReflectionString}}\0sessionDelegate";
        __attribute__((section("__TEXT,__ustring"), used)) static const unsigned short ustr[] =
            { 'h','t','t','p','s',':','/','/',0x00FC,'b','e','r','.','e','x','a','m','p','l','e',0 };
        @interface Pinner
        - (int)validateServerTrust:(void*)trust;
        @end
        @implementation Pinner
        - (int)validateServerTrust:(void*)trust { return SecTrustEvaluateWithError(trust, 0) + AFPinningEvaluate(trust); }
        @end
        int main(void) {
            const char *url = "{{InsecureUrl}}";
            SEL s = @selector({{Selector}});
            int optional = OptionalFeature ? OptionalFeature() : 0;
            return socket(2, 1, 0) + (url != 0) + (s != 0) + optional;
        }
        """;

    private static readonly IReadOnlyList<StubLibrary> AppLibraries =
    [
        new StubLibrary(PinningFramework, ["_AFPinningEvaluate"], []),
        new StubLibrary(OptionalFramework, ["_OptionalFeature"], [], Weak: true),
    ];

    private static readonly Lazy<byte[]> ArmApp = new(() => Build("arm64"));
    private static readonly Lazy<byte[]> SimulatorApp = new(() => Build("x86_64"));
    private static readonly Lazy<byte[]> FatApp = new(() => ClangToolchain.Instance.Fat(ArmApp.Value, SimulatorApp.Value));

    private static readonly Lazy<byte[]> PinningDylib = new(() => ClangToolchain.Instance.Build(new MachOSpec
    {
        Source = "extern int socket(int,int,int);\nconst char *endpoint(void) { return \"http://framework.example.com/v1\"; }\nint open_socket(void) { return socket(2,1,0); }\n",
        Output = MachOOutputKind.Dylib,
        InstallName = "@rpath/Pinning.framework/Pinning",
    }));

    private static readonly Lazy<byte[]> OldSdkApp = new(() => ClangToolchain.Instance.Build(new MachOSpec
    {
        Source = "extern int socket(int,int,int);\nint main(void){ return socket(2,1,0); }\n",
        MinOs = "8.0",
        Sdk = "8.0",
    }));

    public static byte[] Arm64 => ArmApp.Value;
    public static byte[] X86_64 => SimulatorApp.Value;
    public static byte[] Fat => FatApp.Value;
    public static byte[] Dylib => PinningDylib.Value;
    public static byte[] OldSdk => OldSdkApp.Value;
    public static byte[] Encrypted => ClangToolchain.WithCryptId(Arm64, 1);

    private static byte[] Build(string arch) => ClangToolchain.Instance.Build(new MachOSpec
    {
        Source = AppSource,
        Language = SourceLanguage.ObjectiveC,
        Architecture = arch,
        Libraries = AppLibraries,
    });
}
