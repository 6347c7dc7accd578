using Mstg.Analysis.PinningEvidence;
using Mstg.Analysis.Tests.Binary.Support;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Analysis.Tests.PinningEvidence;

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
    public void Public_key_comparison_code_counts_as_evidence()
    {
        var exe = Clang.C("extern void* SecTrustCopyKey(void*); extern void* SecKeyCopyExternalRepresentation(void*, void**);\n" +
                          "int main(void){ return SecKeyCopyExternalRepresentation(SecTrustCopyKey(0), 0) != 0; }");
        using var app = ScannedApp.WithExecutable(exe, options: new ScanOptions { Profile = Profile.L2 });
        app.Run(new PinningEvidenceRule()).Single().Should().Match<Finding>(f => f.Verdict == Verdict.Pass && f.Evidence!.Contains("SecTrustCopyKey"));
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
        finding.Verdict.Should().Be(Verdict.Pass);
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
            f.Verdict == Verdict.Pass && f.Evidence!.Contains("Alamofire PinnedCertificatesTrustEvaluator used"));
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
