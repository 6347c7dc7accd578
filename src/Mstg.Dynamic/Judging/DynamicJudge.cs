using System.Text.Json.Serialization;
using Mstg.Dynamic.Prediction;
using Mstg.Dynamic.Expectations;
using Mstg.Dynamic.Verdicts;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;

namespace Mstg.Dynamic.Judging;

/// <summary>How one dynamic case ends.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseOutcome>))]
public enum CaseOutcome
{
    Pass,
    /// <summary>The requirement is not met at this level, but the run's profile does not require it (pinning at L1): reported, not failing.</summary>
    Warn,
    Fail,
    /// <summary>Nothing to judge (no traffic to the host): a skip with the reason, never a pass.</summary>
    NotApplicable,
}

/// <summary>
/// Builds the judge's findings in the shared model: <see cref="Finding"/> with a <see cref="HostConditionSubject"/> (the
/// host the app talked to, the condition the proxy served), so they flow through the same reporters as static and
/// server findings. The requirement is the rule's (<see cref="Finding.MstgId"/>).
/// </summary>
public static class DynamicFindings
{
    public static Finding Create(string ruleId, Verdict verdict, string host, string condition, string message, string? evidence = null) => new()
    {
        RuleId = ruleId,
        Verdict = verdict,
        // An informational note (a static URL cleared by the run) is not a risk of the rule's severity.
        Severity = verdict == Verdict.Info ? Severity.Info : RuleCatalog.Get(ruleId).Severity,
        Subject = new HostConditionSubject(host, condition),
        Message = message,
        Evidence = evidence,
    };

    /// <summary>The host of a dynamic finding's subject.</summary>
    public static string Host(this Finding f) => f.Subject is HostConditionSubject h ? h.Host : f.Domain ?? "";

}

/// <summary>What the judge was given for one case.</summary>
/// <param name="Host">A first-party host, or <see cref="DynamicJudge.AnyHost"/> for the run-wide cleartext case.</param>
/// <param name="Window">The proxy events of the window in which the condition was set and the scenario ran.</param>
/// <param name="Ats">The static prediction for the host, when the app's Info.plist is known.</param>
/// <param name="StaticCleartextUrls">http:// URLs the static analysis found in the app, to confirm or clear (NETWORK-1).</param>
/// <param name="CaTrust">What the run knows of the app's trust in the run's CA; a pinning pass needs it established.</param>
public sealed record DynamicCase(ConditionProbe Probe, string Host, IReadOnlyList<ProxyEvent> Window, Profile Profile,
    AtsPrediction? Ats = null, IReadOnlyList<string>? StaticCleartextUrls = null, RunCaTrust CaTrust = RunCaTrust.Unproven);

/// <summary>The judge's answer for one case: the connection verdict, the outcome with its reason, and the findings.</summary>
public sealed record DynamicJudgement(ConditionProbe Probe, string Host, ConnectionVerdict Verdict, CaseOutcome Outcome, string Reason, IReadOnlyList<Finding> Findings);

/// <summary>
/// The dynamic judge: reads a window of proxy events and yields a verdict and findings. Pure: no sockets, no files,
/// no clock; the suite owns the proxy, the app and the window.
/// </summary>
public static class DynamicJudge
{
    /// <summary>The host of the run-wide cleartext case: every host the app talked to.</summary>
    public const string AnyHost = "*";

    private static readonly HashSet<string> LegacyVersions = new(StringComparer.OrdinalIgnoreCase) { "SSL3.0", "TLS1.0", "TLS1.1", "0x0300" };

    public static DynamicJudgement Judge(DynamicCase c) => c.Probe.Kind switch
    {
        ProbeKind.NoCleartext => JudgeCleartext(c),
        ProbeKind.ModernClientHello => JudgeClientHello(c),
        _ => JudgeRefusal(c),
    };

    private static DynamicJudgement JudgeRefusal(DynamicCase c)
    {
        var probe = c.Probe;
        var verdict = ConnectionClassifier.Classify(c.Host, probe.ConditionName, c.Window);
        switch (verdict.Kind)
        {
            case ConnectionVerdictKind.NoTraffic:
                return new(probe, c.Host, verdict, CaseOutcome.NotApplicable, NoTrafficReason(c, verdict), []);
            case ConnectionVerdictKind.Refused when DynamicExpectations.NeedsRunCaTrusted(probe.Condition):
                return TrustedCaRefusal(c, verdict);
            case ConnectionVerdictKind.Refused:
                return new(probe, c.Host, verdict, CaseOutcome.Pass, verdict.Describe(), []);
        }
        var message = $"{verdict.Describe()}; the app must {probe.ClientMustDo}. {ConditionCatalog.For(probe.Condition).Explanation}";
        if (c.Ats?.PredictsRefusal(probe.Condition) == true)
            message += $" ATS predicts a refusal here ({c.Ats.Describe()}): this points at code that bypasses ATS or the default trust evaluation.";
        var required = c.Profile >= probe.Level;
        if (!required) message += $" {probe.Requirement} is required from {probe.Level}; at {c.Profile} this is reported, not failing.";
        var finding = DynamicFindings.Create(probe.RuleId, required ? Verdict.Fail : Verdict.Warn, c.Host, probe.ConditionName, message, EvidenceText(verdict));
        return new(probe, c.Host, verdict, required ? CaseOutcome.Fail : CaseOutcome.Warn, message, [finding]);
    }

    /// <summary>
    /// A refusal of the trusted interception CA is pinning only if the app trusts that CA; otherwise it is the same
    /// refusal an untrusted CA gets, and calling it a pass would be a false pass. Trust comes from the driver or the
    /// user (<see cref="RunCaTrust"/>), or from the window: a connection to another host accepted under the same condition.
    /// </summary>
    private static DynamicJudgement TrustedCaRefusal(DynamicCase c, ConnectionVerdict verdict)
    {
        var probe = c.Probe;
        var because = c.CaTrust switch
        {
            RunCaTrust.Installed => "the driver installed the run's CA where the app reads its roots",
            RunCaTrust.Confirmed => "the run's CA was confirmed trusted (MSTG_RUN_CA_TRUSTED)",
            _ => AcceptedUnderSameCondition(c) is { } other
                ? $"the app trusts the run's CA: it accepted an intercepted connection to {other} under {probe.ConditionName}"
                : null,
        };
        if (because is not null)
            return new(probe, c.Host, verdict, CaseOutcome.Pass, $"{verdict.Describe()} ({because})", []);
        return new(probe, c.Host, verdict, CaseOutcome.NotApplicable,
            $"{verdict.Describe()}, but nothing shows that the device trusts the run's CA, and a device that does not trust it refuses " +
            $"exactly as a pinning app does: no connection was accepted under {probe.ConditionName} and trust was not confirmed. Install the run's CA, " +
            "enable full trust (Settings > General > About > Certificate Trust Settings) and set MSTG_RUN_CA_TRUSTED=1, or let the scenario " +
            "reach a host the app does not pin (docs/your-app.md)", []);
    }

    /// <summary>A host other than the case's to which the app sent a request over an intercepted connection under the case's condition.</summary>
    private static string? AcceptedUnderSameCondition(DynamicCase c) =>
        c.Window.Where(e => e.Type == "connection" && e.Host is not null && !ConnectionClassifier.HostMatches(e.Host, c.Host)
                            && string.Equals(e.Condition, c.Probe.ConditionName, StringComparison.OrdinalIgnoreCase)
                            && e.Outcome is not (ConnectionOutcome.Refused or ConnectionOutcome.Error or null))
            .Select(e => e.Host).FirstOrDefault();

    private static DynamicJudgement JudgeClientHello(DynamicCase c)
    {
        var probe = c.Probe;
        var verdict = Classify(c);
        if (verdict.Evidence.Hellos.Count == 0)
            return new(probe, c.Host, verdict, CaseOutcome.NotApplicable,
                verdict.Kind == ConnectionVerdictKind.NoTraffic ? NoTrafficReason(c, verdict) : $"no TLS ClientHello to {c.Host} was seen in passthrough", []);
        var legacy = verdict.Evidence.Hellos.Where(h => h.Versions.Any(LegacyVersions.Contains)).ToList();
        if (legacy.Count == 0)
            return new(probe, c.Host, verdict, CaseOutcome.Pass,
                $"every ClientHello to {c.Host} offers only {string.Join(", ", verdict.Evidence.Hellos.SelectMany(h => h.Versions).Distinct())}", []);
        var offered = string.Join(", ", legacy.SelectMany(h => h.Versions).Distinct());
        var message = $"the app offers {offered} to {c.Host}; it must {probe.ClientMustDo}.";
        if (c.Ats?.MinimumTls is { } min && min >= Analysis.Ats.TlsVersion.Tls12)
            message += $" ATS allows only TLS 1.2 and later here ({c.Ats.Describe()}): this ClientHello did not come from the URL Loading System under ATS; it points at code that bypasses ATS.";
        var finding = DynamicFindings.Create(probe.RuleId, Verdict.Fail, c.Host, probe.ConditionName, message, EvidenceText(verdict));
        return new(probe, c.Host, verdict, CaseOutcome.Fail, message, [finding]);
    }

    private static DynamicJudgement JudgeCleartext(DynamicCase c)
    {
        var probe = c.Probe;
        var verdict = Classify(c);
        var cleartext = c.Window.Where(e => e.Type == "connection" && e.Outcome is ConnectionOutcome.Cleartext or ConnectionOutcome.NonTls && Matches(e.Host, c.Host)).ToList();
        var findings = new List<Finding>();
        foreach (var url in c.StaticCleartextUrls ?? [])
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || !Matches(u.Host, c.Host)) continue;
            var seen = cleartext.Any(e => e.Url is { } s && s.StartsWith(url.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
                || cleartext.Any(e => ConnectionClassifier.HostMatches(e.Host, u.Host) && e.Outcome == ConnectionOutcome.Cleartext);
            findings.Add(seen
                ? DynamicFindings.Create(DynamicRuleIds.StaticUrlConfirmed, Verdict.Fail, u.Host, probe.ConditionName,
                    $"the static analysis found {url} in the app, and the app did send cleartext to {u.Host} during the scenario: confirmed")
                : DynamicFindings.Create(DynamicRuleIds.StaticUrlConfirmed, Verdict.Info, u.Host, probe.ConditionName,
                    $"the static analysis found {url} in the app; no cleartext to {u.Host} was seen during the scenario: cleared for this scenario (another flow may still use it)"));
        }
        if (cleartext.Count == 0)
        {
            if (verdict.Kind == ConnectionVerdictKind.NoTraffic)
                return new(probe, c.Host, verdict, CaseOutcome.NotApplicable, NoTrafficReason(c, verdict), findings);
            return new(probe, c.Host, verdict, CaseOutcome.Pass,
                $"no cleartext from the app{(c.Host == AnyHost ? "" : " to " + c.Host)} in passthrough ({verdict.Evidence.Connections.Count} connection(s), all TLS)", findings);
        }
        foreach (var group in cleartext.GroupBy(e => e.Host ?? "?", StringComparer.OrdinalIgnoreCase))
        {
            var urls = group.Select(e => e.Url).OfType<string>().Distinct().ToList();
            var kinds = group.Any(e => e.Outcome == ConnectionOutcome.NonTls) ? "non-TLS bytes" : "cleartext HTTP";
            var message = $"the app sent {kinds} to {group.Key}{(urls.Count > 0 ? ": " + string.Join(", ", urls.Take(10)) : "")}; it must {probe.ClientMustDo}.";
            if (c.Ats is { CleartextAllowed: false } ats && ConnectionClassifier.HostMatches(group.Key, ats.Host))
                message += $" ATS does not allow cleartext to {group.Key} ({ats.Describe()}): this points at code that bypasses ATS (sockets or an HTTP stack of its own).";
            findings.Add(DynamicFindings.Create(probe.RuleId, Verdict.Fail, group.Key, probe.ConditionName, message,
                string.Join("\n", group.Select(e => $"#{e.Id} {e.Outcome} {e.Method} {e.Url ?? e.Detail}"))));
        }
        return new(probe, c.Host, verdict, CaseOutcome.Fail, string.Join(" ", findings.Where(f => f.Verdict == Verdict.Fail).Select(f => f.Message)), findings);
    }

    private static ConnectionVerdict Classify(DynamicCase c) => ConnectionClassifier.Classify(c.Host, c.Probe.ConditionName,
        c.Host == AnyHost ? c.Window.Select(e => e.Type == "connection" ? e with { Host = AnyHost } : e) : c.Window);

    private static bool Matches(string? seen, string host) => host == AnyHost || ConnectionClassifier.HostMatches(seen, host);

    private static string NoTrafficReason(DynamicCase c, ConnectionVerdict verdict)
    {
        var errors = verdict.Evidence.Connections.Where(e => e.Outcome == nameof(ConnectionOutcome.Error)).ToList();
        var hostText = c.Host == AnyHost ? "any host" : c.Host;
        return errors.Count > 0
            ? $"no usable connection to {hostText} under {c.Probe.ConditionName}: {errors.Count} ended in a proxy error ({errors[0].Detail})"
            : $"no traffic to {hostText} was seen under {c.Probe.ConditionName} during the scenario";
    }

    /// <summary>The handshake summary as text: each connection, then each distinct ClientHello.</summary>
    public static string EvidenceText(ConnectionVerdict verdict)
    {
        var lines = new List<string>();
        foreach (var e in verdict.Evidence.Connections)
            lines.Add($"#{e.Id} {e.Outcome}{(e.Requests is { } r ? $", {r} request(s)" : "")}{(e.HandshakeCompleted ? ", handshake completed" : "")}" +
                      $"{(e.Alert is null ? "" : $", alert {e.Alert} ({e.AlertSource})")}{(e.TransportEnd is null ? "" : $", {e.TransportEnd}")}" +
                      $"{(e.Negotiated is null ? "" : $", {e.Negotiated}")}{(e.Detail is null ? "" : $": {e.Detail}")}");
        foreach (var h in verdict.Evidence.Hellos)
            lines.Add($"ClientHello sni={h.Sni ?? "-"} versions={string.Join("/", h.Versions)} suites={h.CipherSuites.Count} forwardSecretOnly={h.OffersOnlyForwardSecret}");
        foreach (var u in verdict.Evidence.Urls) lines.Add("url " + u);
        return string.Join("\n", lines);
    }
}
