using Mstg.Analysis.Libraries;
using Mstg.Analysis.Tests.Binary.Support;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Analysis.Tests.Libraries;

/// <summary>
/// How each library the advisory data covers is found in real clang-built binaries, with and without a readable
/// version. Inputs: a framework bundle (version from its Info.plist), a statically linked executable with a version
/// banner, or a statically linked executable with only the library's classes or symbols.
/// </summary>
public class LibraryDetectionMatrixTests
{
    /// <summary>How a test input carries the library.</summary>
    public enum Shape { Framework, StaticWithBanner, StaticWithoutVersion }

    /// <summary>C source defining <paramref name="symbols"/> (Swift-mangled names through asm labels) and printing <paramref name="strings"/>.</summary>
    private static string Source(string[] symbols, string[] strings) => Clang.Prelude +
        string.Concat(symbols.Select((s, i) => $"void lib{i}(void) __asm__(\"_{s}\");\nvoid lib{i}(void) {{ }}\n")) +
        "int main(void){ " + string.Concat(strings.Select(s => $"puts(\"{s}\"); ")) + "return 0; }\n";

    private static string ObjcClasses(string[] classes) => string.Concat(classes.Select(c =>
        $"__attribute__((objc_root_class))\n@interface {c}\n@end\n@implementation {c}\n@end\n"));

    public static TheoryData<string, Shape, string[], string[], string?> Rows => new()
    {
        // library, shape, classes or symbols it defines, strings, expected version (null: unknown)
        { "AFNetworking", Shape.Framework, ["AFHTTPSessionManager"], [], "4.0.1" },
        { "AFNetworking", Shape.StaticWithoutVersion, ["AFHTTPSessionManager", "AFSecurityPolicy"], [], null },
        { "TrustKit", Shape.Framework, ["TSKPinningValidator"], [], "3.0.3" },
        { "TrustKit", Shape.StaticWithoutVersion, ["TSKPinningValidator"], [], null },
        { "SocketRocket", Shape.Framework, ["SRWebSocket"], [], "0.7.1" },
        { "SocketRocket", Shape.StaticWithoutVersion, ["SRWebSocket"], [], null },
        { "CocoaAsyncSocket", Shape.Framework, ["GCDAsyncSocket"], [], "7.6.5" },
        { "CocoaAsyncSocket", Shape.StaticWithoutVersion, ["GCDAsyncSocket"], [], null },
        { "Alamofire", Shape.Framework, ["$s9Alamofire7SessionC7defaultACvpZ"], [], "5.10.2" },
        { "Alamofire", Shape.StaticWithBanner, ["$s9Alamofire7SessionC7defaultACvpZ"], ["Alamofire/5.9.1"], "5.9.1" },
        { "Alamofire", Shape.StaticWithoutVersion, ["$s9Alamofire7SessionC7defaultACvpZ"], [], null },
        { "Starscream", Shape.Framework, ["$s10Starscream9WebSocketC7connectyyF"], [], "4.0.8" },
        { "Starscream", Shape.StaticWithoutVersion, ["$s10Starscream9WebSocketC7connectyyF"], [], null },
        { "Moya", Shape.Framework, ["$s4Moya12MoyaProviderC7requestyyF"], [], "15.0.3" },
        { "Moya", Shape.StaticWithoutVersion, ["$s4Moya12MoyaProviderC7requestyyF"], [], null },
        { "gRPC Swift", Shape.Framework, ["$s4GRPC13ClientConnectionC5closeyyF"], [], "1.23.1" },
        { "gRPC Swift", Shape.StaticWithoutVersion, ["$s4GRPC13ClientConnectionC5closeyyF"], [], null },
        { "gRPC", Shape.StaticWithBanner, ["grpc_init"], ["grpc-c++/1.52.1"], "1.52.1" },
        // gRPC core's "grpc-c/29.0.0" is its ABI number, not a release: it must not be read as the version.
        { "gRPC", Shape.StaticWithoutVersion, ["grpc_init", "grpc_channel_create"], ["grpc-c/29.0.0 (ios; chttp2)"], null },
        { "OpenSSL", Shape.StaticWithBanner, ["SSL_CTX_new"], ["OpenSSL 1.0.2k  26 Jan 2017"], "1.0.2k" },
        { "OpenSSL", Shape.StaticWithoutVersion, ["SSL_CTX_new", "OpenSSL_version"], [], null },
        { "libcurl", Shape.StaticWithBanner, ["curl_easy_init"], ["libcurl/7.88.1 SecureTransport zlib/1.2.12"], "7.88.1" },
        { "libcurl", Shape.StaticWithoutVersion, ["curl_easy_init", "curl_easy_perform"], [], null },
        // BoringSSL never has a version: found by its marker string and symbols only.
        { "BoringSSL", Shape.StaticWithoutVersion, ["SSL_CTX_new", "SSL_CTX_set_custom_verify"], ["OpenSSL 1.1.1 (compatible; BoringSSL)"], null },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Library_is_found_with_the_version_it_carries(string library, Shape shape, string[] defines, string[] strings, string? version)
    {
        using var app = Build(library, shape, defines, strings, version);
        var detected = app.Contexts.SelectMany(c => LibraryDetector.Detect(c)).ToList();
        var found = detected.Should().ContainSingle(l => l.Signature.Name == library,
            $"{library} must be found in the {shape} input (found: {string.Join(", ", detected.Select(d => d.Display))})").Subject;
        found.Version.Should().Be(version);
        if (version is null) found.UnknownVersionReason.Should().NotBeNullOrEmpty();
        else found.UnknownVersionReason.Should().BeNull();
    }

    private static ScannedApp Build(string library, Shape shape, string[] defines, string[] strings, string? version)
    {
        var objc = defines.All(d => !d.StartsWith('$') && !d.Contains('_'));
        if (shape != Shape.Framework)
        {
            var executable = objc
                ? Clang.ObjC(ObjcClasses(defines) + "extern int puts(const char*);\nint main(void){ " + string.Concat(strings.Select(s => $"puts(\"{s}\"); ")) + "return 0; }\n")
                : Clang.C(Source(defines, strings));
            return ScannedApp.WithExecutable(executable);
        }

        var framework = LibrarySignatures.All.Single(s => s.Name == library).Frameworks[0];
        var dylib = Clang.Build(new MachOSpec
        {
            Source = objc ? ObjcClasses(defines) : Source(defines, strings).Replace("int main(void)", "int libmain(void)", StringComparison.Ordinal),
            Language = objc ? SourceLanguage.ObjectiveC : SourceLanguage.C,
            Output = MachOOutputKind.Dylib,
            InstallName = $"@rpath/{framework}.framework/{framework}",
        });
        var appPath = IpaBuilder.AppPath("App");
        return ScannedApp.Open(new IpaBuilder()
            .AddApp("App", Clang.C(Clang.Prelude + "int main(void){ puts(\"host app\"); return 0; }"))
            .AddBundle(IpaBuilder.FrameworkPath(appPath, framework), executableContent: dylib, packageType: "FMWK",
                infoPlistXml: PlistXml.InfoPlist(framework, "org.cocoapods." + framework, "FMWK", PlistXml.Key("CFBundleShortVersionString", version!))));
    }
}
