using Mstg.Analysis.Binary;
using Mstg.Analysis.Tests.Binary.Support;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Analysis.Tests.Binary;

public class TrustBypassRuleTests
{
    private static string Delegate(string selectorDeclaration, string body = "handler(0, 0);") =>
        "__attribute__((objc_root_class))\n@interface Delegate\n- " + selectorDeclaration + ";\n@end\n" +
        "@implementation Delegate\n- " + selectorDeclaration + " { " + body + " }\n@end\n";

    private const string SessionHandler = "(void)URLSession:(id)session didReceiveChallenge:(id)challenge completionHandler:(void (^)(long, id))handler";
    private const string WebViewHandler = "(void)webView:(id)webView didReceiveAuthenticationChallenge:(id)challenge completionHandler:(void (^)(long, id))handler";

    [Fact]
    public void Session_handler_without_trust_evaluation_import_fails()
    {
        using var app = ScannedApp.WithExecutable(Clang.ObjC(Delegate(SessionHandler) + "int main(void){ return 0; }"));
        var finding = app.Run(new TrustBypassRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Fail);
        finding.Severity.Should().Be(Severity.Critical);
        finding.Message.Should().Contain("URLSession:didReceiveChallenge:completionHandler:");
        finding.Location.Should().MatchRegex(@"^App\[arm64\]:__TEXT,__(cstring|objc_methname)\+0x[0-9a-f]+$");
    }

    [Fact]
    public void Session_handler_with_SecTrustEvaluateWithError_imported_is_a_review_warning()
    {
        var source = "extern _Bool SecTrustEvaluateWithError(void*, void**);\n" +
                     Delegate(SessionHandler, "if (SecTrustEvaluateWithError(challenge, 0)) handler(0, 0); else handler(2, 0);") +
                     "int main(void){ return 0; }";
        using var app = ScannedApp.WithExecutable(Clang.ObjC(source));
        app.Main.Executable!.Primary!.Imports.Should().Contain(i => i.Name == "_SecTrustEvaluateWithError" && i.Library!.Contains("Security.framework"));
        var finding = app.Run(new TrustBypassRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Warn);
        finding.Evidence.Should().Contain("import SecTrustEvaluateWithError");
    }

    [Fact]
    public void Webview_handler_without_evaluation_fails_like_demo_0155()
    {
        using var app = ScannedApp.WithExecutable(Clang.ObjC(Delegate(WebViewHandler) + "int main(void){ return 0; }"));
        app.Run(new TrustBypassRule()).Should().ContainSingle()
            .Which.Should().Match<Finding>(f => f.Verdict == Verdict.Fail && f.Message.Contains("webView:didReceiveAuthenticationChallenge:completionHandler:"));
    }

    [Fact]
    public void No_handler_and_no_bypass_api_passes()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(Clang.Prelude + "int main(void){ puts(\"URLSession\"); return 0; }"));
        app.Run(new TrustBypassRule()).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Pass);
    }

    [Fact]
    public void CFStream_allows_any_root_import_fails()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(
            "extern const void* kCFStreamSSLAllowsAnyRoot;\nint main(void){ return kCFStreamSSLAllowsAnyRoot != 0; }"));
        var finding = app.Run(new TrustBypassRule()).Should().ContainSingle().Subject;
        finding.Verdict.Should().Be(Verdict.Fail);
        finding.Evidence.Should().Be("import kCFStreamSSLAllowsAnyRoot");
    }

    [Fact]
    public void Validates_certificate_chain_setting_is_only_a_warning()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(
            "extern const void* kCFStreamSSLValidatesCertificateChain;\nint main(void){ return kCFStreamSSLValidatesCertificateChain != 0; }"));
        app.Run(new TrustBypassRule()).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Warn);
    }

    [Fact]
    public void Alamofire_disabled_evaluator_referenced_by_the_app_fails()
    {
        var spec = new MachOSpec
        {
            Source = "extern char disabled __asm__(\"_$s9Alamofire22DisabledTrustEvaluatorVACycfC\");\nint main(void){ return (int)(long)&disabled; }",
            Libraries = [new StubLibrary("@rpath/Alamofire.framework/Alamofire", ["_$s9Alamofire22DisabledTrustEvaluatorVACycfC"], [])],
        };
        using var app = ScannedApp.WithExecutable(Clang.Build(spec));
        app.Run(new TrustBypassRule()).Should().ContainSingle()
            .Which.Should().Match<Finding>(f => f.Verdict == Verdict.Fail && f.Message.Contains("DisabledTrustEvaluator"));
    }

    [Fact]
    public void AFSecurityPolicy_setter_called_by_the_app_warns_but_not_inside_AFNetworking_itself()
    {
        var user = new MachOSpec
        {
            Source = Clang.Prelude + "extern char policyClass __asm__(\"_OBJC_CLASS_$_AFSecurityPolicy\");\n" +
                     "int main(void){ objc_msgSend((id)&policyClass, sel_registerName(\"setAllowInvalidCertificates:\"), 1); return 0; }",
            Libraries = [new StubLibrary("@rpath/AFNetworking.framework/AFNetworking", [], ["AFSecurityPolicy"])],
        };
        using (var app = ScannedApp.WithExecutable(Clang.Build(user)))
            app.Run(new TrustBypassRule()).Should().ContainSingle()
                .Which.Should().Match<Finding>(f => f.Verdict == Verdict.Warn && f.Message.Contains("setAllowInvalidCertificates:"));

        // The library's own implementation of the property is not a use of it.
        var library = Clang.ObjC("__attribute__((objc_root_class))\n@interface AFSecurityPolicy\n- (void)setAllowInvalidCertificates:(_Bool)v;\n@end\n" +
                                 "@implementation AFSecurityPolicy\n- (void)setAllowInvalidCertificates:(_Bool)v { }\n@end\nint main(void){ return 0; }");
        using var lib = ScannedApp.WithExecutable(library);
        lib.Run(new TrustBypassRule()).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Pass);
    }

    [Fact]
    public void Private_allows_any_https_certificate_selector_fails()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(Clang.Prelude +
            "int main(void){ objc_msgSend(0, sel_registerName(\"setAllowsAnyHTTPSCertificate:forHost:\"), 1, 0); return 0; }"));
        app.Run(new TrustBypassRule()).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Fail);
    }

    [Fact]
    public void Swift_handler_symbol_counts_as_a_handler()
    {
        var image = ModelBuilder.Image(defined: ["$s6MASApp26InsecureURLSessionDelegateC10urlSession_10didReceive17completionHandlerySo12NSURLSessionC_So28NSURLAuthenticationChallengeCySo0iJ16DispositionV_So15NSURLCredentialCSgtctF"]);
        new TrustBypassRule().Evaluate(ModelBuilder.Context(image)).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Fail);
    }
}
