namespace Mstg.Analysis.Rules;

/// <summary>
/// Something the ATS or pinning reader noticed while reading the plist: an unknown key, a wrongly typed value,
/// a legacy key, a build variable left in place, a malformed pin. The readers stay pure (no bundle, no findings);
/// the rules turn issues into <see cref="Finding"/>s.
/// </summary>
/// <param name="RuleId">The <see cref="RuleCatalog"/> id the issue is reported under.</param>
/// <param name="KeyPath">Key path inside Info.plist, '/'-separated (<c>NSAppTransportSecurity/NSExceptionDomains/example.com/NSIncludesSubdomains</c>).</param>
/// <param name="Domain">The domain the issue belongs to, if any.</param>
/// <param name="Evidence">Short plist excerpt (<c>key = value</c>).</param>
/// <param name="Message">What, why and how to fix, in words a developer understands.</param>
/// <param name="Verdict">A verdict other than the rule's default, when this occurrence is milder (or worse) than the usual case.</param>
/// <param name="Severity">A severity other than the rule's default, with <paramref name="Verdict"/>.</param>
public sealed record ConfigIssue(string RuleId, string KeyPath, string? Domain, string Evidence, string Message,
    Verdict? Verdict = null, Severity? Severity = null);
