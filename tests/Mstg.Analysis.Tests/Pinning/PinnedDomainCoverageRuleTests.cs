using Mstg.Analysis.Pinning;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Tests.Binary.Support;
using Mstg.Fixtures.Packaging;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Analysis.Tests.Pinning;

/// <summary>PIN-DOMAIN-NOT-PINNED over real clang-built binaries packed into IPAs.</summary>
public class PinnedDomainCoverageRuleTests
{
    private static byte[] Uses(params string[] urls) =>
        Clang.C(Clang.Prelude + "int main(void){ " + string.Concat(urls.Select(u => $"puts(\"{u}\"); ")) + "return 0; }");

    private static string Pins(string domain, bool subdomains = false) => $"""
        	<key>NSAppTransportSecurity</key>
        	<dict>
        		<key>NSPinnedDomains</key>
        		<dict>
        			<key>{domain}</key>
        			<dict>
        				<key>NSIncludesSubdomains</key>{(subdomains ? "<true/>" : "<false/>")}
        				<key>NSPinnedLeafIdentities</key>
        				<array>
        					<dict><key>SPKI-SHA256-BASE64</key><string>C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=</string></dict>
        					<dict><key>SPKI-SHA256-BASE64</key><string>h03CqsMRO1r6ToQLe72s43wid/cOPbs44ZhB+/lu4G0=</string></dict>
        				</array>
        			</dict>
        		</dict>
        	</dict>

        """;

    private static ScanOptions L2(params string[] firstParty) => new() { Profile = Profile.L2, FirstPartyDomains = firstParty };

    [Fact]
    public void Unpinned_first_party_host_fails_at_L2_and_the_pinned_one_does_not()
    {
        using var app = ScannedApp.WithExecutable(Uses("https://api.x.example/v1", "https://login.x.example/"),
            infoExtra: Pins("api.x.example"), options: L2("x.example"));
        var finding = app.Run(new PinnedDomainCoverageRule()).Should().ContainSingle().Subject;
        finding.RuleId.Should().Be(RuleCatalog.PinDomainNotPinned);
        finding.Verdict.Should().Be(Verdict.Fail);
        finding.Domain.Should().Be("login.x.example");
        finding.Location.Should().StartWith("App[arm64]:__TEXT,__cstring+0x");
    }

    [Fact]
    public void Same_app_informs_at_L1()
    {
        using var app = ScannedApp.WithExecutable(Uses("https://login.x.example/"), options: new ScanOptions { Profile = Profile.L1, FirstPartyDomains = ["x.example"] });
        app.Run(new PinnedDomainCoverageRule()).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Info);
    }

    [Fact]
    public void Subdomain_pin_covers_every_host_and_passes()
    {
        using var app = ScannedApp.WithExecutable(Uses("https://api.x.example/v1", "https://login.x.example/"),
            infoExtra: Pins("x.example", subdomains: true), options: L2("x.example"));
        var finding = app.Run(new PinnedDomainCoverageRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Pass);
        finding.Message.Should().Contain("api.x.example").And.Contain("login.x.example");
    }

    [Fact]
    public void Third_party_hosts_and_unconfigured_first_party_give_no_finding()
    {
        using (var app = ScannedApp.WithExecutable(Uses("https://cdn.thirdparty.example/lib.js"), options: L2("x.example")))
            app.Run(new PinnedDomainCoverageRule()).Should().BeEmpty();
        using (var app = ScannedApp.WithExecutable(Uses("https://login.x.example/"), options: L2()))
            app.Run(new PinnedDomainCoverageRule()).Should().BeEmpty();
    }

    [Fact]
    public void An_extension_is_its_own_process_the_apps_pins_do_not_cover_it()
    {
        using var app = ScannedApp.WithExecutable(Uses("https://api.x.example/v1"), infoExtra: Pins("api.x.example"), options: L2("x.example"),
            more: b => b.AddBundle(IpaBuilder.ExtensionPath(IpaBuilder.AppPath("App"), "Widget"), executableContent: Uses("https://api.x.example/widget"),
                packageType: "XPC!"));
        var finding = app.Run(new PinnedDomainCoverageRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Fail);
        finding.Bundle.Should().Be("Payload/App.app/PlugIns/Widget.appex");
        finding.Message.Should().Contain("Widget");
    }

    [Fact]
    public void Code_level_pinning_in_the_same_process_turns_it_into_a_review_warning()
    {
        var exe = Clang.C("extern void* SecTrustCopyKey(void*); extern void* SecKeyCopyExternalRepresentation(void*, void**); extern int puts(const char*);\n" +
                          "int main(void){ puts(\"https://login.x.example/\"); return SecKeyCopyExternalRepresentation(SecTrustCopyKey(0), 0) != 0; }");
        using var app = ScannedApp.WithExecutable(exe, options: L2("x.example"));
        var finding = app.Run(new PinnedDomainCoverageRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Warn);
        finding.Message.Should().Contain("not covered by ATS or TrustKit pinning");

        // At L1 pinning is not required: the same clue is information, as an unpinned host without clues is.
        using var l1 = ScannedApp.WithExecutable(exe, options: new ScanOptions { Profile = Profile.L1, FirstPartyDomains = ["x.example"] });
        l1.Run(new PinnedDomainCoverageRule()).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Info);
    }

    // Issue 8: TrustKit code in a process whose Info.plist configures TrustKit is explained by that configuration. When it is
    // report-only, the host is not pinned and the linked framework must not soften the verdict to a warning; without any
    // configuration the framework is a clue (TrustKit may be configured in code), so the verdict is a warning to confirm.
    [Theory]
    [InlineData(true, Verdict.Fail)]
    [InlineData(false, Verdict.Warn)]
    public void Trustkit_framework_next_to_a_report_only_configuration_is_no_pinning_clue(bool reportOnlyConfig, Verdict expected)
    {
        var trustKit = Clang.Build(new MachOSpec
        {
            Source = "__attribute__((objc_root_class)) @interface TSKPinningValidator @end\n@implementation TSKPinningValidator @end\n",
            Language = SourceLanguage.ObjectiveC, Output = MachOOutputKind.Dylib, InstallName = "@rpath/TrustKit.framework/TrustKit",
        });
        var config = "<key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict><key>login.x.example</key><dict>" +
            "<key>TSKEnforcePinning</key><false/><key>TSKPublicKeyHashes</key><array><string>C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=</string>" +
            "<string>h03CqsMRO1r6ToQLe72s43wid/cOPbs44ZhB+/lu4G0=</string></array></dict></dict></dict>";
        var appPath = IpaBuilder.AppPath("App");
        using var app = ScannedApp.WithExecutable(Uses("https://login.x.example/"),
            more: b => b.AddBundle(IpaBuilder.FrameworkPath(appPath, "TrustKit"), executableContent: trustKit, packageType: "FMWK"),
            infoExtra: reportOnlyConfig ? config : "", options: L2("x.example"));
        var finding = app.Run(new PinnedDomainCoverageRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(expected, finding.Message);
        if (expected == Verdict.Warn) finding.Message.Should().Contain("confirm dynamically");
    }
}
