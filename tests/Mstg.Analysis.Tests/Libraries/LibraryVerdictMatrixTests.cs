using Mstg.Analysis.Libraries;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Tests.Binary.Support;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Analysis.Tests.Libraries;

/// <summary>
/// MSTG-NETWORK-6 verdicts in both directions, one row per class of input, on real clang-built executables:
/// a known version with an advisory fails; a known version without one passes and the pass names how many libraries
/// were checked and the data's date; an unreadable version, a library the data does not cover and BoringSSL (no
/// versions at all) are warnings and never a bare pass; an end-of-life branch is a LIB-DEPRECATED warning from its
/// cut-off date on.
/// </summary>
public class LibraryVerdictMatrixTests
{
    private const string DataDate = "advisory data as of 2026-12-01";
    private static readonly DateTimeOffset Today = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static byte[] Embedded(string banner, params string[] functions) => Clang.C(Clang.Prelude +
        string.Concat(functions.Select(f => $"void {f}(void) {{ }}\n")) +
        (banner.Length == 0 ? "int main(void){ return 0; }\n" : $"int main(void){{ puts(\"{banner}\"); return 0; }}\n"));

    // name, banner, defined functions, LIB-VULNERABLE verdicts expected (sorted), text every LIB-VULNERABLE message set must contain, LIB-DEPRECATED warns
    public static TheoryData<string, string, string[], string[], string[], bool> Rows => new()
    {
        // Fails: a version inside a published range.
        { "openssl 3.3.2: CVE-2024-12797 (fixed 3.3.3), 3.3 past end of life", "OpenSSL 3.3.2 3 Sep 2024", ["SSL_CTX_new"], ["Fail"], ["CVE-2024-12797", "Update to 3.3.3"], true },
        { "openssl 1.0.2k: CVE-2023-0286, end of life", "OpenSSL 1.0.2k  26 Jan 2017", ["SSL_CTX_new"], ["Fail"], ["CVE-2023-0286"], true },
        { "libcurl 8.3.0: SOCKS5 overflow", "libcurl/8.3.0 SecureTransport", ["curl_easy_init"], ["Fail"], ["CVE-2023-38545", "Update to 8.4.0"], false },
        { "gRPC 1.52.1: HPACK desync", "grpc-c++/1.52.1", ["grpc_init"], ["Fail"], ["GHSA-cfgp-2977-2fmm", "CVE-2023-32731"], false },
        // Passes: a known version outside every range, and the pass says what was checked and as of when.
        { "openssl 3.5.4 LTS: no advisory, supported", "OpenSSL 3.5.4 30 Sep 2025", ["SSL_CTX_new"], ["Pass"], ["No known advisory among 1 library with known versions", DataDate, "OpenSSL 3.5.4"], false },
        { "libcurl 8.21.0: no advisory", "libcurl/8.21.0", ["curl_easy_init"], ["Pass"], ["among 1 library with known versions", DataDate], false },
        // Passes on advisories, but the branch is past its cut-off (3.0 LTS ended 2026-09-07, 3.4 on 2026-10-22).
        { "openssl 3.0.17: no advisory, 3.0 past end of life", "OpenSSL 3.0.17 1 Jul 2025", ["SSL_CTX_new"], ["Pass"], [DataDate], true },
        { "openssl 3.4.1: no advisory, 3.4 past end of life", "OpenSSL 3.4.1 11 Feb 2025", ["SSL_CTX_new"], ["Pass"], [DataDate], true },
        // Warnings, never a pass: nothing about these libraries can be checked.
        { "openssl without banner: version unknown", "", ["SSL_CTX_new", "OpenSSL_version"], ["Warn"], ["its version could not be read", "OpenSSL", DataDate], false },
        { "boringssl: no versions", "OpenSSL 1.1.1 (compatible; BoringSSL)", ["SSL_CTX_new", "SSL_CTX_set_custom_verify"], ["Warn"], ["BoringSSL has no version numbers", "not covered by version advisories"], false },
        { "mbedTLS 2.16.0: not covered by the data", "mbed TLS 2.16.0", ["mbedtls_ssl_init"], ["Warn"], ["mbedTLS is not covered by the advisory data", DataDate], false },
        { "gRPC core ABI number only: version unknown", "grpc-c/29.0.0 (ios; chttp2)", ["grpc_init"], ["Warn"], ["gRPC (version unknown)", "could not be read"], false },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Verdict_follows_the_data(string why, string banner, string[] functions, string[] vulnerable, string[] mustSay, bool endOfLife)
    {
        using var app = ScannedApp.WithExecutable(Embedded(banner, functions), options: new ScanOptions { Now = Today });
        var findings = app.Run(new LibraryRules());

        var lib = findings.Where(f => f.RuleId == RuleCatalog.LibVulnerable).ToList();
        lib.Select(f => f.Verdict.ToString()).Distinct().Order().Should().Equal(vulnerable, why);
        var text = string.Join("\n", lib.Select(f => f.Message));
        foreach (var s in mustSay) text.Should().Contain(s, why);
        findings.Any(f => f.RuleId == RuleCatalog.LibDeprecated && f.Verdict == Verdict.Warn && f.Message.Contains("end of life since"))
            .Should().Be(endOfLife, why);
    }

    [Theory]
    [InlineData("2026-09-06", false)] // the day before OpenSSL 3.0 reached end of life
    [InlineData("2026-09-07", true)]
    public void End_of_life_is_read_against_the_scan_date(string date, bool endOfLife)
    {
        using var app = ScannedApp.WithExecutable(Embedded("OpenSSL 3.0.17 1 Jul 2025", "SSL_CTX_new"),
            options: new ScanOptions { Now = DateTimeOffset.Parse(date + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture) });
        var warn = app.Run(new LibraryRules()).Where(f => f.RuleId == RuleCatalog.LibDeprecated && f.Verdict == Verdict.Warn).ToList();
        if (endOfLife) warn.Should().ContainSingle().Which.Message.Should().Contain("3.0 branch, end of life since 2026-09-07");
        else warn.Should().BeEmpty();
    }

    private static ScannedApp AppWithFramework(string name, string version, string classes)
    {
        var dylib = Clang.Build(new MachOSpec
        {
            Source = classes, Language = SourceLanguage.ObjectiveC, Output = MachOOutputKind.Dylib, InstallName = $"@rpath/{name}.framework/{name}",
        });
        return ScannedApp.Open(new IpaBuilder()
            .AddApp("App", Clang.C(Clang.Prelude + "int main(void){ puts(\"host app\"); return 0; }"))
            .AddBundle(IpaBuilder.FrameworkPath(IpaBuilder.AppPath("App"), name), executableContent: dylib, packageType: "FMWK",
                infoPlistXml: PlistXml.InfoPlist(name, "org.cocoapods." + name, "FMWK", PlistXml.Key("CFBundleShortVersionString", version))),
            new ScanOptions { Now = Today });
    }

    [Fact]
    public void Unresolved_marketing_version_is_a_warning_naming_the_library_and_the_variable()
    {
        using var app = AppWithFramework("SocketRocket", "$(MARKETING_VERSION)",
            "__attribute__((objc_root_class))\n@interface SRWebSocket\n@end\n@implementation SRWebSocket\n@end\n");
        var findings = new LibraryRules().Evaluate(app.Contexts.Single(c => c.Bundle.Name == "SocketRocket")).ToList();
        var lib = findings.Where(f => f.RuleId == RuleCatalog.LibVulnerable).Should().ContainSingle().Subject;
        lib.Verdict.Should().Be(Verdict.Warn);
        lib.Message.Should().Contain("SocketRocket $(MARKETING_VERSION)").And.Contain("build variable Xcode never resolved").And.Contain(DataDate);
    }

    [Fact]
    public void A_known_and_an_unknown_library_in_one_bundle_pass_for_the_one_and_warn_for_the_other()
    {
        // Statically linked: OpenSSL with its banner, TrustKit by class only.
        var executable = Clang.ObjC("""
            __attribute__((objc_root_class))
            @interface TSKPinningValidator
            @end
            @implementation TSKPinningValidator
            @end
            extern int puts(const char*);
            void SSL_CTX_new(void) { }
            int main(void){ puts("OpenSSL 3.5.4 30 Sep 2025"); return 0; }
            """);
        using var app = ScannedApp.WithExecutable(executable, options: new ScanOptions { Now = Today });
        var lib = app.Run(new LibraryRules()).Where(f => f.RuleId == RuleCatalog.LibVulnerable).ToList();
        lib.Should().HaveCount(2);
        lib.Should().ContainSingle(f => f.Verdict == Verdict.Pass).Which.Message.Should()
            .Contain("No known advisory among 1 library with known versions").And.Contain("OpenSSL 3.5.4").And.Contain("1 more could not be checked");
        lib.Should().ContainSingle(f => f.Verdict == Verdict.Warn).Which.Message.Should()
            .Contain("TrustKit (version unknown)").And.Contain("linked statically");
    }
}
