using Mstg.Analysis.Binary;
using Mstg.Analysis.BundleFiles;
using Mstg.Analysis.Channel;
using Mstg.Analysis.Libraries;
using Mstg.Analysis.Pinning;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Tests.Binary.Support;

namespace Mstg.Analysis.Tests.Binary;

/// <summary>Every rule of this area over one insecure and one clean app, built by clang and packed as an IPA.</summary>
public class AllRulesTogetherTests
{
    private static readonly IBundleRule[] BundleRules =
    [
        new EncryptedBinaryRule(), new CleartextUrlRule(), new LowLevelNetworkingRule(), new TrustBypassRule(), new WeakTlsMinimumRule(),
        new EmbeddedTlsLibraryRule(), new LibraryRules(), new BundleFileRules(), new ChannelRules(),
    ];

    private static IReadOnlyList<Finding> Scan(ScannedApp app) =>
        app.Contexts.SelectMany(c => BundleRules.SelectMany(r => r.Evaluate(c))).Concat(app.Run(new PinningEvidenceRule())).ToList();

    private const string InsecureSource = """
        typedef void* id; typedef void* SEL;
        extern id objc_msgSend(id, SEL, ...);
        extern SEL sel_registerName(const char*);
        extern int puts(const char*);
        extern int socket(int,int,int);
        void SSL_CTX_new(void) { }
        __attribute__((objc_root_class))
        @interface Delegate
        - (void)URLSession:(id)s didReceiveChallenge:(id)c completionHandler:(void (^)(long, id))h;
        @end
        @implementation Delegate
        - (void)URLSession:(id)s didReceiveChallenge:(id)c completionHandler:(void (^)(long, id))h { h(0, 0); }
        @end
        int main(void) {
          puts("http://api.example.com/login");
          puts("OpenSSL 1.0.1f 6 Jan 2014");
          ((void(*)(id,SEL,unsigned short))objc_msgSend)(0, sel_registerName("setTLSMinimumSupportedProtocolVersion:"), 0x301);
          return socket(2, 1, 0);
        }
        """;

    [Fact]
    public void Insecure_app_fails_or_warns_on_every_problem_it_has()
    {
        using var app = ScannedApp.WithExecutable(Clang.ObjC(InsecureSource),
            b => b.AddFile("Payload/App.app/client.p12", [0x30, 0x82, 0x01]), options: new ScanOptions { Profile = Profile.L2 });
        var findings = Scan(app);

        string[] fails = [RuleCatalog.BinTrustBypass, RuleCatalog.BinWeakTlsMinimum, RuleCatalog.LibVulnerable, RuleCatalog.PinNone];
        string[] warns = [RuleCatalog.BinCleartextUrl, RuleCatalog.BinLowLevelNetworking, RuleCatalog.BundleClientCertificate, RuleCatalog.LibDeprecated];
        foreach (var id in fails) findings.Should().Contain(f => f.RuleId == id && f.Verdict == Verdict.Fail, id);
        foreach (var id in warns) findings.Should().Contain(f => f.RuleId == id && f.Verdict == Verdict.Warn, id);
        findings.Should().Contain(f => f.RuleId == RuleCatalog.BinEmbeddedTlsLibrary && f.Verdict == Verdict.Info);
        findings.Should().NotContain(f => f.Verdict == Verdict.Pass && (fails.Contains(f.RuleId) || warns.Contains(f.RuleId)));
        AssertWellFormed(findings);
    }

    [Fact]
    public void Clean_app_only_passes()
    {
        const string pins = "\t<key>NSAppTransportSecurity</key>\n\t<dict><key>NSPinnedDomains</key><dict><key>api.example.com</key><dict>" +
                            "<key>NSPinnedCAIdentities</key><array><dict><key>SPKI-SHA256-BASE64</key><string>C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=</string></dict></array>" +
                            "</dict></dict></dict>\n";
        using var app = ScannedApp.WithExecutable(Clang.C(Clang.Prelude + "int main(void){ puts(\"https://api.example.com/login\"); return 0; }"),
            infoExtra: pins, options: new ScanOptions { Profile = Profile.L2 });
        var findings = Scan(app);
        findings.Should().OnlyContain(f => f.Verdict == Verdict.Pass, string.Join("\n", findings));
        findings.Select(f => f.RuleId).Should().Contain([
            RuleCatalog.BinCleartextUrl, RuleCatalog.BinLowLevelNetworking, RuleCatalog.BinTrustBypass, RuleCatalog.BinWeakTlsMinimum,
            RuleCatalog.LibVulnerable, RuleCatalog.LibDeprecated, RuleCatalog.BundleClientCertificate, RuleCatalog.PinNone]);
        AssertWellFormed(findings);
    }

    private static void AssertWellFormed(IEnumerable<Finding> findings)
    {
        foreach (var f in findings)
        {
            RuleCatalog.TryGet(f.RuleId, out _).Should().BeTrue(f.RuleId);
            f.Bundle.Should().StartWith("Payload/App.app");
            f.Location.Should().NotBeNullOrWhiteSpace();
            f.Message.Length.Should().BeGreaterThan(30, f.RuleId);
        }
    }
}
