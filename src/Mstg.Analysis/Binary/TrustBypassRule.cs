using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Binary;

/// <summary>
/// BIN-TRUST-BYPASS (MASTG-TEST-0396/0397): server-trust evaluation that is skipped or switched off.
/// Without cross-references we cannot see what a handler does, so evidence is graded:
/// <list type="bullet">
/// <item><b>strong → Fail</b>: an authentication-challenge handler is present and the image imports none of the
/// SecTrustEvaluate family and no known evaluator it could delegate to (the DEMO-0154/0155 pattern); or an API whose
/// only purpose is to accept bad certificates is referenced (private <c>setAllowsAnyHTTPSCertificate:forHost:</c>,
/// <c>kCFStreamSSLAllowsAnyRoot</c>/<c>AllowsExpired*</c>, Alamofire <c>DisabledTrustEvaluator</c>/<c>DisabledEvaluator</c>).</item>
/// <item><b>weak → Warn "review"</b>: a handler next to an imported SecTrustEvaluate* or a delegated evaluator (we cannot prove
/// the handler calls it); setters whose argument decides (<c>kCFStreamSSLValidatesCertificateChain</c>, AFSecurityPolicy
/// <c>setAllowInvalidCertificates:</c>/<c>setValidatesDomainName:</c> called from outside AFNetworking, Starscream
/// <c>allowSelfSigned</c>/<c>disableSSLCertValidation</c>, SocketRocket <c>allowsUntrustedSSLCertificates</c>,
/// <c>SecTrustSetExceptions</c>).</item>
/// </list>
/// </summary>
public sealed class TrustBypassRule : IBundleRule
{
    internal static readonly IReadOnlyList<string> HandlerSelectors =
    [
        "URLSession:didReceiveChallenge:completionHandler:",
        "URLSession:task:didReceiveChallenge:completionHandler:",
        "webView:didReceiveAuthenticationChallenge:completionHandler:",
        "connection:willSendRequestForAuthenticationChallenge:",
    ];

    /// <summary>Pieces of Swift mangled names of the same handlers (<c>urlSession(_:didReceive:completionHandler:)</c> …).</summary>
    internal static readonly IReadOnlyList<string> SwiftHandlerMarkers =
    [
        "10urlSession_10didReceive17completionHandler",
        "10urlSession_4task10didReceive17completionHandler",
        "7webView_10didReceive17completionHandler",
    ];

    internal static readonly IReadOnlyList<string> TrustEvaluationImports =
        ["SecTrustEvaluateWithError", "SecTrustEvaluate", "SecTrustEvaluateAsync", "SecTrustEvaluateAsyncWithError"];

    /// <summary>Selectors of library evaluators a handler may delegate to instead of calling SecTrustEvaluate itself.</summary>
    internal static readonly IReadOnlyList<string> DelegatedEvaluatorSelectors =
        ["evaluateServerTrust:forDomain:", "evaluateTrust:forHostname:", "handleChallenge:completionHandler:"];

    internal enum Kind { Selector, Import, ImportContains }

    /// <param name="OwnerClass">When the image defines this class itself, the indicator is the library's own code, not a use of it.</param>
    internal sealed record BypassIndicator(string Name, Kind Kind, bool Strong, string Why, string? OwnerClass = null);

    internal static readonly IReadOnlyList<BypassIndicator> BypassIndicators =
    [
        new("setAllowsAnyHTTPSCertificate:forHost:", Kind.Selector, true, "private NSURLRequest API that disables certificate checks for a host"),
        new("allowsAnyHTTPSCertificateForHost:", Kind.Selector, true, "override of the private NSURLRequest hook that accepts any certificate for a host"),
        new("kCFStreamSSLAllowsAnyRoot", Kind.Import, true, "deprecated CFStream SSL setting whose only purpose is to accept any root"),
        new("kCFStreamSSLAllowsExpiredCertificates", Kind.Import, true, "deprecated CFStream SSL setting that accepts expired certificates"),
        new("kCFStreamSSLAllowsExpiredRoots", Kind.Import, true, "deprecated CFStream SSL setting that accepts expired roots"),
        new("DisabledTrustEvaluator", Kind.ImportContains, true, "Alamofire evaluator that performs no trust evaluation"),
        new("DisabledEvaluator", Kind.ImportContains, true, "Alamofire evaluator alias that performs no trust evaluation"),
        new("kCFStreamSSLValidatesCertificateChain", Kind.Import, false, "CFStream SSL setting that turns chain validation off when set to false"),
        new("SecTrustSetExceptions", Kind.Import, false, "makes a trust object accept specific failures"),
        new("setAllowInvalidCertificates:", Kind.Selector, false, "AFSecurityPolicy setting that accepts invalid certificates when YES", "AFSecurityPolicy"),
        new("setValidatesDomainName:", Kind.Selector, false, "AFSecurityPolicy setting that skips host-name checks when NO", "AFSecurityPolicy"),
        new("setValidatesSecureCertificate:", Kind.Selector, false, "ASIHTTPRequest setting that skips certificate checks when NO", "ASIHTTPRequest"),
        new("setAllowsUntrustedSSLCertificates:", Kind.Selector, false, "SocketRocket setting that accepts untrusted certificates when YES", "SRWebSocket"),
        new("allowSelfSigned", Kind.ImportContains, false, "Starscream FoundationSecurity(allowSelfSigned:) accepts self-signed certificates when true"),
        new("disableSSLCertValidation", Kind.ImportContains, false, "Starscream 3 setting that disables certificate validation when true"),
    ];

    public IEnumerable<Finding> Evaluate(BundleContext context)
    {
        var view = ExecutableView.For(context);
        if (view.Image is null)
        {
            if (view.Blocked) yield return view.Skipped(RuleCatalog.BinTrustBypass, "Trust handling in the executable");
            yield break;
        }

        var reported = 0;
        if (view.ContentsReadable && HandlerFinding(view) is { } handler)
        {
            reported++;
            yield return handler;
        }

        foreach (var indicator in BypassIndicators)
        {
            if (Match(view, indicator) is not { } place) continue;
            reported++;
            yield return RuleFindings.Create(context, RuleCatalog.BinTrustBypass, indicator.Strong ? Verdict.Fail : Verdict.Warn,
                indicator.Strong
                    ? $"{view.ExecutableName} references {indicator.Name}: {indicator.Why}. Remove it from release builds and let the system evaluate server trust."
                    : $"{view.ExecutableName} references {indicator.Name} ({indicator.Why}). The value passed cannot be determined statically: review the call and make sure validation stays on.",
                place, $"{indicator.Kind.ToString().ToLowerInvariant()} {indicator.Name}");
        }

        if (view.Blocked) yield return view.Skipped(RuleCatalog.BinTrustBypass, "Challenge handlers and selectors in the executable's strings");
        else if (reported == 0)
            yield return RuleFindings.Create(context, RuleCatalog.BinTrustBypass, Verdict.Pass,
                $"{view.ExecutableName} has no authentication-challenge handler and references no known trust-bypass API.", view.FileLocation);
    }

    private static Finding? HandlerFinding(ExecutableView view)
    {
        var handlers = new List<(string Name, string Place)>();
        foreach (var selector in HandlerSelectors)
            if (view.FindString(selector) is { } s) handlers.Add((selector, view.At(s.Section, s.Offset)));
        foreach (var symbol in view.Image!.Symbols.Where(s => !s.IsUndefined))
            if (SwiftHandlerMarkers.Any(m => symbol.Name.Contains(m, StringComparison.Ordinal)))
                handlers.Add((symbol.Name, view.AtPart($"symbol 0x{symbol.Value:x}")));
        if (handlers.Count == 0) return null;

        var evaluation = TrustEvaluationImports.Where(view.ImportNames.Contains).ToList();
        var delegated = DelegatedEvaluatorSelectors.Where(view.HasString).ToList();
        var evidence = handlers.Select(h => $"handler {h.Name} at {h.Place}")
            .Concat(evaluation.Select(e => "import " + e)).Concat(delegated.Select(d => "delegates to " + d));
        var names = string.Join(", ", handlers.Select(h => h.Name).Distinct());

        if (evaluation.Count == 0 && delegated.Count == 0)
            return RuleFindings.Create(view.Context, RuleCatalog.BinTrustBypass, Verdict.Fail,
                $"{view.ExecutableName} implements an authentication-challenge handler ({names}) but imports none of " +
                "SecTrustEvaluateWithError/SecTrustEvaluate(Async) and no known evaluator, so server trust is very likely accepted " +
                "without evaluation (MASTG-TEST-0396/0397). Evaluate the trust with SecTrustEvaluateWithError (and pins, if any) " +
                "before using it, or let the system handle the challenge (performDefaultHandling).",
                handlers[0].Place, RuleFindings.JoinEvidence(evidence));

        return RuleFindings.Create(view.Context, RuleCatalog.BinTrustBypass, Verdict.Warn,
            $"{view.ExecutableName} implements an authentication-challenge handler ({names}) and imports " +
            $"{string.Join("/", evaluation.Concat(delegated))}; without cross-references it cannot be proven that every handler evaluates " +
            "the trust before accepting it. Review each handler: it must check the result of SecTrustEvaluateWithError and cancel on failure.",
            handlers[0].Place, RuleFindings.JoinEvidence(evidence));
    }

    private static string? Match(ExecutableView view, BypassIndicator indicator)
    {
        if (indicator.OwnerClass is { } owner && (view.DefinesClass(owner) || view.ObjcClassNames.Contains(owner) && !view.ImportsClass(owner)))
            return null; // the library's own implementation, not a use of it
        switch (indicator.Kind)
        {
            case Kind.Selector:
                return view.FindString(indicator.Name) is { } s ? view.At(s.Section, s.Offset) : null;
            case Kind.Import:
                return view.ImportNames.Contains(indicator.Name) ? view.AtPart("imports") : null;
            default:
                return view.ImportNames.Any(i => i.Contains(indicator.Name, StringComparison.Ordinal)) ? view.AtPart("imports") : null;
        }
    }
}
