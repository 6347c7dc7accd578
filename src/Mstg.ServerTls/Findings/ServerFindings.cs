using Mstg.Analysis.Ats;
using Mstg.Analysis.Pinning;
using Mstg.ServerTls.Ats;
using Mstg.Tls.Raw;

namespace Mstg.ServerTls;

/// <summary>
/// Turns an <see cref="EndpointReport"/> (and, when given, the app that talks to it) into findings. Pure: reads the
/// report, never the network. Every finding's subject is the endpoint (<see cref="EndpointSubject"/>, with the SNI when it
/// differs from the host); findings about the app's plist (an unnecessary exception, an exception that hides a server
/// problem, a pin set that matches nothing) keep the endpoint as subject, because the server's behaviour is what was
/// measured, and carry the plist key path as evidence, so reports group them under the endpoint they were probed on.
/// Default verdicts, severities and requirements are <see cref="RuleCatalog"/>'s.
/// </summary>
public static class ServerFindings
{
    /// <summary>The endpoint as a finding subject: host and port, and the SNI when it is not the host.</summary>
    public static EndpointSubject SubjectOf(Endpoint endpoint) => new(endpoint.Host, endpoint.Port)
    {
        Sni = endpoint.ServerName is { } sni && !string.Equals(sni, endpoint.Host, StringComparison.OrdinalIgnoreCase) ? sni : null,
    };

    public static IReadOnlyList<Finding> For(EndpointReport report, AppTlsContext? app = null, DateTimeOffset? now = null)
    {
        var list = new List<Finding>();
        var where = report.Endpoint.ToString();
        var subject = SubjectOf(report.Endpoint);
        Finding Make(string id, Verdict verdict, Severity severity, string message, string? evidence = null) => new()
        {
            RuleId = id, Verdict = verdict, Severity = severity, Message = message, Subject = subject,
            Domain = report.Endpoint.Name, Evidence = evidence,
        };

        if (report.Status != ProbeStatus.Probed)
        {
            list.Add(Make(RuleCatalog.ServerProbeFailed, Verdict.Skipped, Severity.Info, $"{where} could not be probed ({report.Status}): {report.Problem}"));
            return list;
        }
        foreach (var part in report.Incomplete)
            list.Add(Make(RuleCatalog.ServerProbeFailed, Verdict.Skipped, Severity.Info, $"part of {where} could not be probed: {part}"));

        var legacy = report.AcceptedProtocols.Where(p => p.Version < TlsCatalog.Tls12).Select(p => p.Name).ToList();
        if (legacy.Count > 0)
            list.Add(Make(RuleCatalog.ServerTlsLegacyVersion, Verdict.Fail, Severity.Medium,
                $"the server accepts {string.Join(", ", legacy)}; only TLS 1.2 and 1.3 should be enabled (ATS refuses older versions by default, iOS 26 always)."));

        var modern = report.AcceptedProtocols.Where(p => p.Version >= TlsCatalog.Tls12).ToList();
        if (modern.Count > 0 && !modern.Any(p => p.Suites.Any(s => s.ForwardSecret)))
            list.Add(Make(RuleCatalog.ServerNoForwardSecrecy, Verdict.Fail, Severity.Medium,
                "no ECDHE or DHE suite is accepted under TLS 1.2 or 1.3: a stolen server key decrypts recorded traffic, and ATS refuses the server unless NSExceptionRequiresForwardSecrecy = NO.",
                string.Join(", ", modern.SelectMany(p => p.Suites).Select(s => s.Name).Distinct())));

        var suites = report.AcceptedProtocols.SelectMany(p => p.Suites.Select(s => (p, s))).ToList();
        var broken = suites.Where(x => x.s.Strength == SuiteStrength.Broken).ToList();
        var obsolete = suites.Where(x => x.s.Strength == SuiteStrength.Obsolete).ToList();
        if (broken.Count > 0)
            list.Add(Make(RuleCatalog.ServerWeakCipher, Verdict.Fail, Severity.High,
                $"the server accepts breakable cipher suites: {string.Join(", ", broken.Select(x => x.s.Name).Distinct())}.",
                string.Join("; ", broken.Select(x => $"{x.p.Name} {x.s.Name}"))));
        else if (obsolete.Count > 0)
            list.Add(Make(RuleCatalog.ServerWeakCipher, Verdict.Warn, Severity.Low,
                $"the server accepts obsolete CBC suites with SHA-1 MACs: {string.Join(", ", obsolete.Select(x => x.s.Name).Distinct())}; prefer AEAD suites (GCM, ChaCha20-Poly1305).",
                string.Join("; ", obsolete.Select(x => $"{x.p.Name} {x.s.Name}"))));

        if (report.Chain is { } chain)
        {
            var leaf = chain.Leaf;
            if (leaf.WeakKey)
                list.Add(Make(RuleCatalog.ServerWeakKey, Verdict.Fail, Severity.High,
                    $"the leaf certificate's key is {leaf.KeyAlgorithm} {leaf.KeyBits} bits; Apple and the CA/Browser Forum require RSA ≥ 2048 or EC ≥ 256.", leaf.Subject));
            var weakSigned = chain.Served.Where(c => !c.SelfIssued && c.WeakSignature).ToList();
            if (weakSigned.Count > 0)
                list.Add(Make(RuleCatalog.ServerWeakSignature, Verdict.Fail, Severity.High,
                    $"served certificates are signed with {string.Join(", ", weakSigned.Select(c => c.SignatureAlgorithm).Distinct())}; iOS refuses SHA-1 signatures on leaf and intermediate certificates.",
                    string.Join("; ", weakSigned.Select(c => c.Subject))));
            if (chain.Expired || chain.NotYetValid)
                list.Add(Make(RuleCatalog.ServerCertExpired, Verdict.Fail, Severity.High,
                    chain.Expired ? $"the certificate expired on {leaf.NotAfter:yyyy-MM-dd HH:mm} UTC." : $"the certificate is not valid before {leaf.NotBefore:yyyy-MM-dd HH:mm} UTC.",
                    $"{leaf.Subject}: {leaf.NotBefore:O} .. {leaf.NotAfter:O}"));
            if (!chain.HostnameMatches)
                list.Add(Make(RuleCatalog.ServerCertHostname, Verdict.Fail, Severity.High,
                    $"the certificate does not name {report.Endpoint.Name} (subjectAltName: {(leaf.DnsNames.Count == 0 ? "no DNS names" : string.Join(", ", leaf.DnsNames))}).", leaf.Subject));
            if (chain.Trust == ChainTrust.Untrusted)
                list.Add(Make(RuleCatalog.ServerCertUntrusted, Verdict.Fail, Severity.High,
                    $"the chain ends at a root the trust store does not hold ({(leaf.SelfIssued ? "a self-signed certificate" : "an unknown CA")}).", chain.TrustDetail));
            if (chain.Trust == ChainTrust.Incomplete)
                list.Add(Make(RuleCatalog.ServerChainIncomplete, Verdict.Fail, Severity.Medium,
                    $"the served chain ({chain.Served.Count} certificate{(chain.Served.Count == 1 ? "" : "s")}) does not reach a trusted root: the server must also send the intermediate that issued \"{chain.Served[^1].Issuer}\".",
                    chain.TrustDetail));
            if (leaf.LifetimeDays > 398)
                list.Add(Make(RuleCatalog.ServerCertLifetime, leaf.LifetimeDays > AtsServerModel.MaxLifetimeDays ? Verdict.Fail : Verdict.Warn, Severity.Medium,
                    $"the certificate is valid for {leaf.LifetimeDays:0} days; Apple refuses more than 825 days for any certificate and 398 days for publicly trusted ones.",
                    $"{leaf.NotBefore:O} .. {leaf.NotAfter:O}"));
        }

        var ats = AtsServerModel.Evaluate(report);
        var exception = app?.Ats.ExceptionFor(report.Endpoint.Name);
        if (ats.Known && !ats.DefaultConnects)
            list.Add(Make(RuleCatalog.ServerAtsFail, Verdict.Fail, Severity.High, AtsFailMessage(ats, app, exception),
                string.Join("\n", ats.Matrix.Select(r => $"{(r.Passes ? "PASS" : "FAIL")} {r.Title}")
                    .Concat(exception is null ? [] : [$"app exception: {exception.KeyPath}"]))));

        if (app is not null && ats.Known)
        {
            if (exception is not null) list.AddRange(Unnecessary(report, ats, exception).Select(m => Make(RuleCatalog.AtsExceptionUnnecessary, Verdict.Warn, Severity.Low, m, exception.KeyPath)));
            if (report.Chain is { } served && PinMismatch(app.Pins, report.Endpoint.Name, served, now ?? DateTimeOffset.UtcNow) is { } pinMessage)
                list.Add(Make(RuleCatalog.PinNoMatch, Verdict.Fail, Severity.High, pinMessage.Message, pinMessage.Evidence));
        }
        return list;
    }

    private static string AtsFailMessage(AtsVerdict ats, AppTlsContext? app, AtsDomainException? exception)
    {
        var why = string.Join("; ", ats.CertificateProblems.Concat(ats.TlsProblems));
        if (ats.CheapestException is null)
            return $"an app with default ATS cannot connect ({why}), and no ATS exception helps: fix the server.";
        var keys = string.Join(", ", ats.CheapestException.Keys);
        var text = $"an app with default ATS cannot connect ({why}); it would need {keys}: fix the server instead.";
        if (app is null) return text;
        var settings = exception is null ? new AtsSettings() : new AtsSettings(false, exception.MinimumTls, exception.RequiresForwardSecrecy, exception.AllowsInsecureHttpLoads);
        return exception is not null && Covers(settings, ats.CheapestException)
            ? $"{text} The app's exception {exception.KeyPath} makes it connect: fix the server, then remove the exception."
            : $"{text} The app ({app.Source}) has no exception that covers it, so it cannot connect to this server.";
    }

    // An app's exception is at least as permissive as the needed one.
    private static bool Covers(AtsSettings have, AtsSettings need) =>
        (need.AllowsArbitraryLoads ? have.AllowsArbitraryLoads : true)
        && (have.MinimumTls ?? TlsVersions.AtsDefault) <= (need.MinimumTls ?? TlsVersions.AtsDefault)
        && (need.RequiresForwardSecrecy || !have.RequiresForwardSecrecy);

    private static IEnumerable<string> Unnecessary(EndpointReport report, AtsVerdict ats, AtsDomainException e)
    {
        // Only TLS relaxations the server does not need; a certificate problem makes every one moot.
        if (ats.CertificateProblems.Count > 0) yield break;
        if (e.MinimumTls < TlsVersion.Tls12 && AtsServerModel.TlsConnects(report, new AtsSettings(MinimumTls: TlsVersion.Tls12, RequiresForwardSecrecy: e.RequiresForwardSecrecy)))
            yield return $"{e.KeyPath} lowers the minimum to {e.MinimumTls.ToPlistString()}, but {report.Endpoint} works with TLS 1.2 or later: remove NSExceptionMinimumTLSVersion.";
        if (!e.RequiresForwardSecrecy && AtsServerModel.TlsConnects(report, new AtsSettings(MinimumTls: e.MinimumTls)))
            yield return $"{e.KeyPath} turns off forward secrecy, but {report.Endpoint} offers an ATS ECDHE suite: remove NSExceptionRequiresForwardSecrecy.";
        if (e.AllowsInsecureHttpLoads && ats.DefaultConnects)
            yield return $"{e.KeyPath} allows cleartext HTTP, but {report.Endpoint} serves TLS that default ATS accepts: use https:// and remove NSExceptionAllowsInsecureHTTPLoads.";
    }

    private static (string Message, string Evidence)? PinMismatch(PinningConfiguration pins, string host, ChainReport chain, DateTimeOffset now)
    {
        var domains = pins.Domains.Where(d => d.Covers(host) && d.Enforced && !d.IsExpired(now) && d.ValidPins.Any()).ToList();
        if (domains.Count == 0) return null;
        var leaf = chain.Leaf.SpkiSha256;
        var cas = chain.Served.Skip(1).Select(c => c.SpkiSha256).Concat(chain.BuiltSpkiSha256.Skip(1)).ToHashSet(StringComparer.Ordinal);
        var all = cas.Append(leaf).ToHashSet(StringComparer.Ordinal);
        foreach (var d in domains)
        {
            var matched = d.ValidPins.Any(p => p.Kind switch
            {
                PinKind.LeafIdentity => p.Value == leaf,
                PinKind.CaIdentity => cas.Contains(p.Value),
                _ => all.Contains(p.Value),
            });
            if (!matched)
                return ($"none of the {d.ValidPins.Count()} pins of {d.KeyPath} matches the chain {host} serves: the app will refuse this server (a stale pin or a rotated key).",
                    $"pins: {string.Join(", ", d.ValidPins.Select(p => p.Value))}; served SPKI SHA-256: {string.Join(", ", all)}");
        }
        return null;
    }
}
