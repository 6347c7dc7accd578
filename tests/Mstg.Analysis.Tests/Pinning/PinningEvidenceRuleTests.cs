using Mstg.Analysis.Pinning;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Tests.Binary.Support;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Analysis.Tests.Pinning;

public class PinningEvidenceRuleTests
{
    private static byte[] Plain => Clang.C(Clang.Prelude + "int main(void){ puts(\"https://api.example.com/\"); return 0; }");

    private const string PinnedDomains = """
        	<key>NSAppTransportSecurity</key>
        	<dict>
        		<key>NSPinnedDomains</key>
        		<dict>
        			<key>api.example.com</key>
        			<dict>
        				<key>NSPinnedLeafIdentities</key>
        				<array><dict><key>SPKI-SHA256-BASE64</key><string>C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=</string></dict></array>
        			</dict>
        		</dict>
        	</dict>

        """;

    [Theory]
    [InlineData(Profile.L2, Verdict.Fail)]
    [InlineData(Profile.L1, Verdict.Info)]
    public void No_evidence_fails_at_L2_and_informs_at_L1(Profile profile, Verdict expected)
    {
        using var app = ScannedApp.WithExecutable(Plain, options: new ScanOptions { Profile = profile });
        var finding = app.Run(new PinningEvidenceRule()).Should().ContainSingle().Subject;
        finding.RuleId.Should().Be(RuleCatalog.PinNone);
        finding.Verdict.Should().Be(expected);
        finding.Message.Should().Contain("NSPinnedDomains").And.Contain("TrustKit").And.Contain("PinnedCertificatesTrustEvaluator")
            .And.Contain("AFSecurityPolicy").And.Contain("SecCertificateCopyData").And.Contain(".cer");
        finding.Location.Should().Be("Payload/App.app/Info.plist:NSAppTransportSecurity/NSPinnedDomains");
    }

    [Fact]
    public void Pinned_domains_in_info_plist_pass_with_the_evidence_listed()
    {
        using var app = ScannedApp.WithExecutable(Plain, infoExtra: PinnedDomains, options: new ScanOptions { Profile = Profile.L2 });
        var finding = app.Run(new PinningEvidenceRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Pass);
        finding.Evidence.Should().Contain("NSPinnedDomains for api.example.com");
    }

    [Fact]
    public void Public_key_comparison_code_is_a_clue_to_confirm_dynamically_not_proof()
    {
        var exe = Clang.C("extern void* SecTrustCopyKey(void*); extern void* SecKeyCopyExternalRepresentation(void*, void**);\n" +
                          "int main(void){ return SecKeyCopyExternalRepresentation(SecTrustCopyKey(0), 0) != 0; }");
        using var app = ScannedApp.WithExecutable(exe, options: new ScanOptions { Profile = Profile.L2 });
        app.Run(new PinningEvidenceRule()).Single().Should().Match<Finding>(f =>
            f.Verdict == Verdict.Warn && f.Evidence!.Contains("SecTrustCopyKey") && f.Message.Contains("confirm dynamically"));
    }

    [Fact]
    public void Bundled_certificate_in_an_extension_counts_for_the_whole_app()
    {
        var builder = new IpaBuilder()
            .AddApp("App", Plain)
            .AddBundle(IpaBuilder.ExtensionPath(IpaBuilder.AppPath("App"), "Share"), executableContent: Plain, packageType: "XPC!")
            .AddFile("Payload/App.app/PlugIns/Share.appex/backend.der", [0x30, 0x82]);
        using var app = ScannedApp.Open(builder, new ScanOptions { Profile = Profile.L2 });
        app.Contexts.Should().HaveCount(2);
        var finding = app.Run(new PinningEvidenceRule()).Single();
        finding.Verdict.Should().Be(Verdict.Warn, "a bundled certificate is a clue, not enforced pinning");
        finding.Bundle.Should().Be("Payload/App.app");
        finding.Evidence.Should().Contain("Payload/App.app/PlugIns/Share.appex/backend.der");
    }

    [Fact]
    public void Alamofire_evaluators_inside_the_alamofire_framework_do_not_count_but_app_references_do()
    {
        const string symbol = "_$s9Alamofire32PinnedCertificatesTrustEvaluatorC12certificates18acceptSelfSignedCertificates25performDefaultValidation12validateHostACSaySo17SecCertificateRefaG_S3btcfC";
        var framework = Clang.Build(new MachOSpec
        {
            Source = $"void evaluator(void) __asm__(\"{symbol}\");\nvoid evaluator(void) {{ }}\n",
            Output = MachOOutputKind.Dylib, InstallName = "@rpath/Alamofire.framework/Alamofire",
        });
        var appPath = IpaBuilder.AppPath("App");
        IpaBuilder WithApp(byte[] exe) => new IpaBuilder().AddApp("App", exe)
            .AddBundle(IpaBuilder.FrameworkPath(appPath, "Alamofire"), executableContent: framework, packageType: "FMWK");

        using (var unused = ScannedApp.Open(WithApp(Plain), new ScanOptions { Profile = Profile.L2 }))
            unused.Run(new PinningEvidenceRule()).Single().Verdict.Should().Be(Verdict.Fail);

        var user = Clang.Build(new MachOSpec
        {
            Source = $"extern char evaluator __asm__(\"{symbol}\");\nint main(void){{ return (int)(long)&evaluator; }}",
            Libraries = [new StubLibrary("@rpath/Alamofire.framework/Alamofire", [symbol], [])],
        });
        using var used = ScannedApp.Open(WithApp(user), new ScanOptions { Profile = Profile.L2 });
        used.Run(new PinningEvidenceRule()).Single().Should().Match<Finding>(f =>
            f.Verdict == Verdict.Warn && f.Evidence!.Contains("Alamofire PinnedCertificatesTrustEvaluator used"));
    }

    [Fact]
    public void Trustkit_configuration_with_pins_counts_and_one_without_pinned_domains_does_not()
    {
        const string withPins = "\t<key>TSKConfiguration</key>\n\t<dict><key>TSKPinnedDomains</key><dict><key>api.example.com</key><dict>" +
            "<key>TSKPublicKeyHashes</key><array><string>C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=</string>" +
            "<string>h03CqsMRO1r6ToQLe72s43wid/cOPbs44ZhB+/lu4G0=</string></array></dict></dict></dict>\n";
        using (var app = ScannedApp.WithExecutable(Plain, infoExtra: withPins, options: new ScanOptions { Profile = Profile.L2 }))
            app.Run(new PinningEvidenceRule()).Single().Verdict.Should().Be(Verdict.Pass);

        // TrustKit refuses a configuration without TSKPinnedDomains, so it pins nothing.
        using (var app = ScannedApp.WithExecutable(Plain, infoExtra: "\t<key>TSKConfiguration</key>\n\t<dict><key>TSKSwizzleNetworkDelegates</key><true/></dict>\n",
            options: new ScanOptions { Profile = Profile.L2 }))
            app.Run(new PinningEvidenceRule()).Single().Verdict.Should().Be(Verdict.Fail);
    }

    [Fact]
    public void Pinned_domains_whose_every_pin_is_malformed_are_no_evidence()
    {
        const string badPins = "\t<key>NSAppTransportSecurity</key>\n\t<dict><key>NSPinnedDomains</key><dict><key>api.example.com</key><dict>" +
            "<key>NSPinnedLeafIdentities</key><array><dict><key>SPKI-SHA256-BASE64</key><string>not-a-hash</string></dict></array></dict></dict></dict>\n";
        using var app = ScannedApp.WithExecutable(Plain, infoExtra: badPins, options: new ScanOptions { Profile = Profile.L2 });
        app.Run(new PinningEvidenceRule()).Single().Verdict.Should().Be(Verdict.Fail);
    }

    // Issue 8, MSTG-NETWORK-4 at L2: only pins that will be enforced satisfy PIN-NONE. Each row: the app's Info.plist extra
    // keys, whether it ships a TrustKit.framework, its main executable, and the verdict at L2 and at L1 with the reason.
    private const string PinA = "C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=", PinB = "h03CqsMRO1r6ToQLe72s43wid/cOPbs44ZhB+/lu4G0=";

    private static string TrustKit(string entryKeys) =>
        "\t<key>TSKConfiguration</key>\n\t<dict><key>TSKPinnedDomains</key><dict><key>api.example.com</key><dict>" + entryKeys +
        $"<key>TSKPublicKeyHashes</key><array><string>{PinA}</string><string>{PinB}</string></array></dict></dict></dict>\n";

    public static TheoryData<string, string, bool, string, Verdict, Verdict> PinningCases => new()
    {
        // Must not pass at L2.
        { "TrustKit report-only (TSKEnforcePinning NO): every connection still succeeds", TrustKit("<key>TSKEnforcePinning</key><false/>"), false, "plain", Verdict.Fail, Verdict.Info },
        { "TrustKit pins past TSKExpirationDate: TrustKit stops enforcing them", TrustKit("<key>TSKExpirationDate</key><string>2020-01-01</string>"), false, "plain", Verdict.Fail, Verdict.Info },
        { "report-only TrustKit does not become evidence by linking the TrustKit framework", TrustKit("<key>TSKEnforcePinning</key><false/>"), true, "plain", Verdict.Fail, Verdict.Info },
        { "a merely linked TrustKit framework without configuration: a clue only", "", true, "plain", Verdict.Warn, Verdict.Info },
        { "generic SecTrust certificate extraction: a clue only", "", false, "sectrust", Verdict.Warn, Verdict.Info },
        { "SecTrustSetAnchorCertificates: a clue only", "", false, "anchors", Verdict.Warn, Verdict.Info },
        { "nothing at all", "", false, "plain", Verdict.Fail, Verdict.Info },
        // Must pass.
        { "TrustKit enforced (default) and unexpired", TrustKit("<key>TSKExpirationDate</key><string>2999-01-01</string>"), true, "plain", Verdict.Pass, Verdict.Pass },
        { "TrustKit enforced explicitly", TrustKit("<key>TSKEnforcePinning</key><true/>"), false, "plain", Verdict.Pass, Verdict.Pass },
        { "NSPinnedDomains (always enforced by iOS)", PinnedDomains, false, "plain", Verdict.Pass, Verdict.Pass },
        { "NSPinnedDomains wins over report-only TrustKit", PinnedDomains + TrustKit("<key>TSKEnforcePinning</key><false/>"), false, "plain", Verdict.Pass, Verdict.Pass },
    };

    private static byte[] Executable(string kind) => kind switch
    {
        "sectrust" => Clang.C("extern void* SecTrustGetCertificateAtIndex(void*, long); extern void* SecCertificateCopyData(void*);\n" +
                              "int main(void){ return SecCertificateCopyData(SecTrustGetCertificateAtIndex(0, 0)) != 0; }"),
        "anchors" => Clang.C("extern int SecTrustSetAnchorCertificates(void*, void*);\nint main(void){ return SecTrustSetAnchorCertificates(0, 0); }"),
        _ => Plain,
    };

    [Theory]
    [MemberData(nameof(PinningCases))]
    public void Only_enforced_unexpired_pins_satisfy_pin_none_at_L2(string why, string infoExtra, bool trustKitFramework, string executable, Verdict atL2, Verdict atL1)
    {
        var trustKit = Clang.Build(new MachOSpec
        {
            Source = "__attribute__((objc_root_class)) @interface TSKPinningValidator @end\n@implementation TSKPinningValidator @end\n",
            Language = SourceLanguage.ObjectiveC, Output = MachOOutputKind.Dylib, InstallName = "@rpath/TrustKit.framework/TrustKit",
        });
        foreach (var (profile, expected) in new[] { (Profile.L2, atL2), (Profile.L1, atL1) })
        {
            var appPath = IpaBuilder.AppPath("App");
            var builder = new IpaBuilder().AddApp("App", Executable(executable), InfoPlist(infoExtra));
            if (trustKitFramework) builder.AddBundle(IpaBuilder.FrameworkPath(appPath, "TrustKit"), executableContent: trustKit, packageType: "FMWK");
            using var app = ScannedApp.Open(builder, new ScanOptions { Profile = profile });
            var finding = app.Run(new PinningEvidenceRule()).Single();
            finding.Verdict.Should().Be(expected, "{0} at {1}: {2}", why, profile, finding.Message);
            if (expected == Verdict.Warn) finding.Message.Should().Contain("Pinning clue found in code").And.Contain("confirm dynamically");
            if (infoExtra.Contains("TSKEnforcePinning</key><false/>") && expected != Verdict.Pass) finding.Message.Should().Contain("report-only");
            if (infoExtra.Contains("2020-01-01")) finding.Message.Should().Contain("expired on 2020-01-01");
        }
    }

    private static string InfoPlist(string extra) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <plist version="1.0"><dict>
        <key>CFBundleIdentifier</key><string>com.example.app</string>
        <key>CFBundleExecutable</key><string>App</string>
        <key>CFBundlePackageType</key><string>APPL</string>
        <key>MinimumOSVersion</key><string>15.0</string>
        {extra}
        </dict></plist>
        """;

    [Fact]
    public void Encrypted_app_without_evidence_is_skipped_not_failed()
    {
        using var app = ScannedApp.WithExecutable(ClangToolchain.WithCryptId(Plain, 1), options: new ScanOptions { Profile = Profile.L2 });
        app.Run(new PinningEvidenceRule()).Single().Verdict.Should().Be(Verdict.Skipped);
    }
}

public class PinningEvidenceModelTests
{
    [Fact]
    public void Trustkit_framework_bundle_counts_as_evidence()
    {
        var framework = ModelBuilder.Context(ModelBuilder.Image(defined: ["OBJC_CLASS_$_TSKPinningValidator"]),
            kind: Mstg.Bundles.BundleKind.Framework, path: "Payload/App.app/Frameworks/TrustKit.framework",
            options: new ScanOptions { Profile = Profile.L2 });
        var clues = PinningEvidenceCollector.Collect(framework);
        clues.Select(c => c.What).Should().Contain(["TrustKit framework", "TrustKit class TSKPinningValidator"]);
    }

    [Fact]
    public void Afsecuritypolicy_pinning_selectors_count_only_when_the_class_is_imported()
    {
        var user = ModelBuilder.Image(strings: ["setSSLPinningMode:"], imports: ["OBJC_CLASS_$_AFSecurityPolicy"]);
        PinningEvidenceCollector.Collect(ModelBuilder.Context(user)).Should().ContainSingle().Which.What.Should().Contain("setSSLPinningMode:");
        var library = ModelBuilder.Image(strings: ["setSSLPinningMode:"], defined: ["OBJC_CLASS_$_AFSecurityPolicy"]);
        PinningEvidenceCollector.Collect(ModelBuilder.Context(library)).Should().BeEmpty();
    }
}
