using Mstg.Analysis.Binary;
using Mstg.Analysis.Libraries;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Tests.Binary.Support;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Analysis.Tests.Libraries;

public class LibraryRulesTests
{
    /// <summary>An executable that statically contains a library: a version banner plus the functions it defines.</summary>
    private static byte[] Embedded(string banner, params string[] functions) => Clang.C(Clang.Prelude +
        string.Concat(functions.Select(f => $"void {f}(void) {{ }}\n")) +
        $"int main(void){{ puts(\"{banner}\"); return 0; }}\n");

    [Fact]
    public void Old_openssl_is_inventoried_vulnerable_end_of_life_and_an_embedded_tls_stack()
    {
        using var app = ScannedApp.WithExecutable(Embedded("OpenSSL 1.0.1f 6 Jan 2014", "SSL_CTX_new", "SSL_connect"));
        var findings = app.Run(new LibraryRules());

        var inventory = findings.Should().ContainSingle(f => f.RuleId == RuleCatalog.LibInventory).Subject;
        inventory.Message.Should().Contain("OpenSSL 1.0.1f");
        inventory.Evidence.Should().Contain("defines SSL_CTX_new").And.Contain("version string \"OpenSSL 1.0.1f 6 Jan 2014\"");
        inventory.Location.Should().MatchRegex(@"^App\[arm64\]:__TEXT,__cstring\+0x[0-9a-f]+$");

        findings.Where(f => f.RuleId == RuleCatalog.LibVulnerable).Should().OnlyContain(f => f.Verdict == Verdict.Fail)
            .And.Contain(f => f.Message.Contains("CVE-2014-0160"))
            .And.Contain(f => f.Message.Contains("CVE-2014-0224") && f.Message.Contains("Update to 1.0.1h"));
        findings.Should().ContainSingle(f => f.RuleId == RuleCatalog.LibDeprecated).Which.Verdict.Should().Be(Verdict.Warn);

        var tls = app.Run(new EmbeddedTlsLibraryRule()).Should().ContainSingle().Subject;
        tls.RuleId.Should().Be(RuleCatalog.BinEmbeddedTlsLibrary);
        tls.Message.Should().Contain("OpenSSL 1.0.1f");
    }

    // Was 3.0.13: the data now knows CVE-2024-6119 (fixed 3.0.15) and the 3.0 branch's end of life (2026-09-07),
    // so the current LTS line is the clean example.
    [Fact]
    public void Current_openssl_is_inventoried_but_not_vulnerable_or_deprecated()
    {
        using var app = ScannedApp.WithExecutable(Embedded("OpenSSL 3.5.4 30 Sep 2025", "SSL_CTX_new"),
            options: new ScanOptions { Now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) });
        var findings = app.Run(new LibraryRules());
        findings.Should().ContainSingle(f => f.RuleId == RuleCatalog.LibInventory);
        findings.Single(f => f.RuleId == RuleCatalog.LibVulnerable).Verdict.Should().Be(Verdict.Pass);
        findings.Single(f => f.RuleId == RuleCatalog.LibDeprecated).Verdict.Should().Be(Verdict.Pass);
    }

    [Fact]
    public void App_without_libraries_passes_and_has_no_inventory()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(Clang.Prelude + "int main(void){ puts(\"plain app\"); return 0; }"));
        var findings = app.Run(new LibraryRules());
        findings.Should().NotContain(f => f.RuleId == RuleCatalog.LibInventory);
        findings.Should().OnlyContain(f => f.Verdict == Verdict.Pass);
        app.Run(new EmbeddedTlsLibraryRule()).Should().BeEmpty();
    }

    [Fact]
    public void Boringssl_is_not_mistaken_for_openssl()
    {
        using var app = ScannedApp.WithExecutable(Embedded("OpenSSL 1.1.1 (compatible; BoringSSL)", "SSL_CTX_new", "SSL_CTX_set_custom_verify"));
        var inventory = app.Run(new LibraryRules()).Where(f => f.RuleId == RuleCatalog.LibInventory).ToList();
        inventory.Should().ContainSingle().Which.Message.Should().StartWith("BoringSSL");
    }

    [Theory]
    [InlineData("libcurl/7.64.1 SecureTransport zlib/1.2.11", "curl_easy_init", "libcurl 7.64.1")]
    [InlineData("mbed TLS 2.16.0", "mbedtls_ssl_init", "mbedTLS 2.16.0")]
    public void Curl_and_mbedtls_versions_are_read_from_banners(string banner, string function, string expected)
    {
        using var app = ScannedApp.WithExecutable(Embedded(banner, function));
        app.Run(new EmbeddedTlsLibraryRule()).Should().ContainSingle().Which.Message.Should().Contain(expected);
    }

    private static ScannedApp AppWithFramework(string name, string version, string classDefinition, ScanOptions? options = null)
    {
        var dylib = Clang.Build(new MachOSpec
        {
            Source = classDefinition, Language = SourceLanguage.ObjectiveC, Output = MachOOutputKind.Dylib,
            InstallName = $"@rpath/{name}.framework/{name}",
        });
        var appPath = IpaBuilder.AppPath("App");
        return ScannedApp.Open(new IpaBuilder()
            .AddApp("App", Clang.C(Clang.Prelude + "int main(void){ puts(\"host app\"); return 0; }"))
            .AddBundle(IpaBuilder.FrameworkPath(appPath, name), executableContent: dylib, packageType: "FMWK",
                infoPlistXml: PlistXml.InfoPlist(name, "org.cocoapods." + name, "FMWK", PlistXml.Key("CFBundleShortVersionString", version))), options);
    }

    private const string AfnClasses = "__attribute__((objc_root_class))\n@interface AFHTTPSessionManager\n@end\n@implementation AFHTTPSessionManager\n@end\n";

    [Fact]
    public void Afnetworking_251_framework_is_vulnerable_and_deprecated()
    {
        using var app = AppWithFramework("AFNetworking", "2.5.1", AfnClasses);
        var framework = app.Contexts.Single(c => c.Bundle.Name == "AFNetworking");
        var findings = new LibraryRules().Evaluate(framework).ToList();

        var inventory = findings.Should().ContainSingle(f => f.RuleId == RuleCatalog.LibInventory).Subject;
        inventory.Message.Should().Contain("AFNetworking 2.5.1").And.Contain("framework Info.plist");
        inventory.Evidence.Should().Contain("defines Objective-C class AFHTTPSessionManager");
        inventory.Bundle.Should().Be("Payload/App.app/Frameworks/AFNetworking.framework");
        findings.Where(f => f.RuleId == RuleCatalog.LibVulnerable).Select(f => f.Message.Split(':')[0])
            .Should().BeEquivalentTo("AFNetworking 2.5.1 is affected by CVE-2015-3996", "AFNetworking 2.5.1 is affected by MSTG-ADV-AFN-2015-1");
        findings.Single(f => f.RuleId == RuleCatalog.LibDeprecated).Verdict.Should().Be(Verdict.Warn);

        // The host app only links it: nothing is inventoried there.
        new LibraryRules().Evaluate(app.Main).Should().NotContain(f => f.RuleId == RuleCatalog.LibInventory);
    }

    [Fact]
    public void Afnetworking_401_is_deprecated_but_has_no_advisory()
    {
        using var app = AppWithFramework("AFNetworking", "4.0.1", AfnClasses);
        var findings = new LibraryRules().Evaluate(app.Contexts.Single(c => c.Bundle.Name == "AFNetworking")).ToList();
        findings.Single(f => f.RuleId == RuleCatalog.LibVulnerable).Verdict.Should().Be(Verdict.Pass);
        findings.Single(f => f.RuleId == RuleCatalog.LibDeprecated).Verdict.Should().Be(Verdict.Warn);
    }

    [Fact]
    public void User_advisory_file_from_scan_options_is_applied()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "advisories": [ { "id": "GHSA-user-0001", "summary": "Test advisory.", "affected": [ { "package": { "name": "TrustKit" }, "ranges": [ { "events": [ { "introduced": "0" }, { "fixed": "1.7.0" } ] } ] } ] } ] }""");
            var options = new ScanOptions { AdvisoryFiles = [path] };
            using var app = AppWithFramework("TrustKit", "1.6.5",
                "__attribute__((objc_root_class))\n@interface TSKPinningValidator\n@end\n@implementation TSKPinningValidator\n@end\n", options);
            var findings = new LibraryRules().Evaluate(app.Contexts.Single(c => c.Bundle.Name == "TrustKit")).ToList();
            findings.Should().ContainSingle(f => f.RuleId == RuleCatalog.LibVulnerable && f.Verdict == Verdict.Fail)
                .Which.Evidence.Should().Contain(path);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Socketrocket_is_deprecated_only_when_its_pinning_api_is_present()
    {
        var withPinning = ModelBuilder.Image(strings: ["SRWebSocket", "SR_SSLPinnedCertificates"], defined: ["OBJC_CLASS_$_SRWebSocket"]);
        var without = ModelBuilder.Image(strings: ["SRWebSocket"], defined: ["OBJC_CLASS_$_SRWebSocket"]);
        new LibraryRules().Evaluate(ModelBuilder.Context(withPinning)).Should().Contain(f => f.RuleId == RuleCatalog.LibDeprecated && f.Verdict == Verdict.Warn);
        new LibraryRules().Evaluate(ModelBuilder.Context(without)).Should().Contain(f => f.RuleId == RuleCatalog.LibInventory)
            .And.NotContain(f => f.RuleId == RuleCatalog.LibDeprecated && f.Verdict == Verdict.Warn);
    }

    [Fact]
    public void Signature_table_loads_and_every_version_pattern_has_a_group()
    {
        LibrarySignatures.All.Should().HaveCountGreaterThan(10);
        LibrarySignatures.All.SelectMany(l => l.VersionPatterns).Should().OnlyContain(r => r.GetGroupNumbers().Length >= 2);
        LibrarySignatures.All.Where(l => l.TlsStack).Select(l => l.Name).Should().Contain(["OpenSSL", "BoringSSL", "mbedTLS", "libcurl"]);
    }
}

public class LibraryDetectorModelTests
{
    [Fact]
    public void Statically_linked_swift_module_is_inventoried_without_a_version()
    {
        var image = ModelBuilder.Image(defined: ["$s9Alamofire7SessionC7defaultACvpZ"]);
        var library = LibraryDetector.Detect(ModelBuilder.Context(image)).Should().ContainSingle().Subject;
        library.Signature.Name.Should().Be("Alamofire");
        library.Version.Should().BeNull();
        library.Evidence.Should().ContainSingle().Which.Should().Contain("module Alamofire");
    }

    [Fact]
    public void Imported_swift_symbols_of_a_module_are_not_inventoried_in_the_importing_bundle()
    {
        var image = ModelBuilder.Image(imports: ["$s9Alamofire7SessionC7defaultACvpZ"]);
        LibraryDetector.Detect(ModelBuilder.Context(image)).Should().BeEmpty();
    }

    [Fact]
    public void Unparsable_framework_version_is_reported_as_unknown_and_never_matched()
    {
        var info = new Mstg.Plist.PlistDict([new("CFBundleShortVersionString", new Mstg.Plist.PlistString("$(MARKETING_VERSION)"), default)]);
        var context = ModelBuilder.Context(ModelBuilder.Image(), kind: Mstg.Bundles.BundleKind.Framework,
            path: "Payload/App.app/Frameworks/AFNetworking.framework", info: info);
        var findings = new LibraryRules().Evaluate(context).ToList();
        findings.Should().Contain(f => f.RuleId == RuleCatalog.LibInventory);
        findings.Should().NotContain(f => f.RuleId == RuleCatalog.LibVulnerable && f.Verdict == Verdict.Fail);
    }
}
