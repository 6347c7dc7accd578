using Mstg.Analysis.Hosts;
using Mstg.Analysis.Pinning;
using Mstg.Analysis.Rules;
using Mstg.Plist;

namespace Mstg.Analysis.Ats;

/// <summary>
/// The App Transport Security rules (ATS-*): reads the bundle's Info.plist through <see cref="AtsPolicy"/> and
/// reports every weakening, plus the reader's issues (unknown keys, wrong types, legacy keys, build variables).
/// Emits nothing for a compliant plist.
/// </summary>
public sealed class AtsRules : IBundleRule
{
    public IEnumerable<Finding> Evaluate(BundleContext context)
    {
        if (context.Info is not { } info) return [];
        var build = context.Executable?.Primary?.Build;
        var target = BundleTarget.Read(info, build);
        var executable = context.Bundle.Executable?.Name ?? context.Bundle.Name;
        return Evaluate(info, target, context.Bundle.Path, context.InfoPlistName, executable);
    }

    /// <summary>The same rules on a bare plist (used by the rule above, by tests and by plist-only scans).</summary>
    public static IReadOnlyList<Finding> Evaluate(PlistDict info, BundleTarget target, string bundle,
        string plistName = "Info.plist", string executable = "executable")
    {
        var policy = AtsPolicy.Evaluate(info, target);
        var pins = PinningConfiguration.Read(info);
        var findings = new FindingSink(bundle, plistName);

        OldSdk(findings, target, executable);
        Global(findings, policy, target, pins);
        foreach (var exception in policy.Exceptions.Where(e => e.NoMatchReason is null))
            Domain(findings, exception, PinnedHostsGovernedBy(policy, pins, exception));
        foreach (var issue in policy.Issues)
            findings.Add(issue.RuleId, issue.KeyPath, issue.Domain, issue.Evidence, issue.Message, issue.Verdict, issue.Severity);
        return findings.Items;
    }

    private static void OldSdk(FindingSink findings, BundleTarget target, string executable)
    {
        if (target.Sdk is not { } sdk || sdk >= target.AtsIntroduced) return;
        var location = target.SdkPlistKey is { } key ? $"{findings.PlistName}:{key}" : $"{executable}:{target.SdkLoadCommand}";
        findings.AddAt(RuleCatalog.AtsDisabledOldSdk, location, null, target.SdkSource,
            $"The app was built with the {target.OsName} {sdk} SDK, older than {target.OsName} {target.AtsIntroduced}, so App Transport Security is not applied " +
            "to it on any OS version: cleartext HTTP and weak TLS are allowed everywhere. Rebuild with a current SDK and keep only the ATS exceptions you need.");
    }

    private static void Global(FindingSink findings, AtsPolicy policy, BundleTarget target, PinningConfiguration pins)
    {
        if (policy.AllowsArbitraryLoads)
        {
            var origin = policy.GlobalOrigins[AtsKeys.AllowsArbitraryLoads];
            var ownEntries = policy.Exceptions.Where(e => e.NoMatchReason is null).Select(e => e.Domain).ToList();
            var keepsAts = ownEntries.Count == 0 ? "" :
                $" Domains with their own NSExceptionDomains entry are not covered and follow that entry instead: {string.Join(", ", ownEntries)}.";
            if (policy.ArbitraryLoadsOverriders.Count == 0)
            {
                var pinnedOpen = pins.Domains.Select(d => d.Domain).Distinct(StringComparer.OrdinalIgnoreCase)
                    .Where(d => policy.IsCleartextAllowed(d.ToLowerInvariant())).ToList();
                findings.Add(RuleCatalog.AtsArbitraryLoads, origin.KeyPath, null, origin.Evidence,
                    "NSAllowsArbitraryLoads = true switches App Transport Security off: the app may load any host over cleartext HTTP and over TLS below 1.2 " +
                    $"without forward secrecy.{keepsAts}{PinsDoNotCoverHttp(pinnedOpen)} Serve every endpoint over HTTPS and remove the key, or replace it with NSExceptionDomains entries for the few hosts that need one.");
            }
            else
            {
                var overriders = string.Join(" and ", policy.ArbitraryLoadsOverriders);
                var verb = policy.ArbitraryLoadsOverriders.Count == 1 ? "is" : "are";
                var floor = $"{target.OsName} {target.FinerKeysIntroduced.ToString(2)}";
                if (target.MinimumOs is { } minimum && minimum < target.FinerKeysIntroduced)
                {
                    findings.Add(RuleCatalog.AtsArbitraryLoadsIgnored, origin.KeyPath, null, $"{origin.Evidence}; {overriders} {verb} present; {target.MinimumOsSource}",
                        $"NSAllowsArbitraryLoads = true is ignored from {floor} on because {overriders} {verb} present, but the app supports {target.OsName} {minimum} " +
                        $"({target.MinimumOsSource}), where the key still switches ATS off for every domain.{keepsAts} Remove NSAllowsArbitraryLoads or raise the deployment target to {floor}.",
                        Verdict.Fail, Severity.High);
                }
                else
                {
                    var minimumText = target.MinimumOs is null
                        ? $" The deployment target is unknown ({target.MinimumOsSource}); if it is below {floor}, devices on older versions still honour the key."
                        : $" The deployment target is {target.OsName} {target.MinimumOs} ({target.MinimumOsSource}), so no supported device honours it.";
                    findings.Add(RuleCatalog.AtsArbitraryLoadsIgnored, origin.KeyPath, null, $"{origin.Evidence}; {overriders} {verb} present",
                        $"NSAllowsArbitraryLoads = true is ignored on {floor} and later because {overriders} {verb} present (Apple: their presence, with any value, " +
                        $"overrides it).{minimumText} Remove the dead key so the configuration says what it does.");
                    if (target.UnresolvedMinimumOsKey is { } key)
                        findings.Add(RuleCatalog.AtsUnresolvedVariable, key, null, $"{key} = \"{target.UnresolvedMinimumOsValue}\"",
                            $"{key} holds an unresolved build variable, so whether NSAllowsArbitraryLoads is honoured on older devices cannot be decided from this plist. " +
                            "Scan the built app (its binary carries the real deployment target).");
                }
            }
        }

        if (policy.AllowsArbitraryLoadsInWebContent)
        {
            var origin = policy.GlobalOrigins[AtsKeys.AllowsArbitraryLoadsInWebContent];
            findings.Add(RuleCatalog.AtsArbitraryLoadsWebContent, origin.KeyPath, null, origin.Evidence,
                "NSAllowsArbitraryLoadsInWebContent = true lets WKWebView load any page over cleartext HTTP or weak TLS, so content and cookies shown in the app " +
                "can be read or altered on the network. Load only HTTPS pages, or limit the exception to the hosts that need it with NSExceptionDomains.");
        }
        if (policy.AllowsArbitraryLoadsForMedia)
        {
            var origin = policy.GlobalOrigins[AtsKeys.AllowsArbitraryLoadsForMedia];
            findings.Add(RuleCatalog.AtsArbitraryLoadsMedia, origin.KeyPath, null, origin.Evidence,
                "NSAllowsArbitraryLoadsForMedia = true lets AV Foundation stream media over cleartext HTTP. Apple allows it only for media that is itself encrypted " +
                "(FairPlay, encrypted HLS) and carries no personal data; serve media over HTTPS and remove the key.");
        }
        if (policy.AllowsLocalNetworking)
        {
            var origin = policy.GlobalOrigins[AtsKeys.AllowsLocalNetworking];
            findings.Add(RuleCatalog.AtsLocalNetworking, origin.KeyPath, null, origin.Evidence,
                "NSAllowsLocalNetworking = true lets the app reach unqualified host names, .local hosts and IP addresses without ATS, i.e. over cleartext on the LAN. " +
                "Keep it only for a genuine local-network feature and use TLS there where the device allows it.");
        }
    }

    private static void Domain(FindingSink findings, AtsDomainException e, IReadOnlyList<string> pinned)
    {
        var scope = e.IncludesSubdomains ? $"{e.Domain} and all its subdomains" : e.Domain;
        // A public suffix key with subdomains opens every registrable domain under it (docs/rules.md, "Domain keys").
        var publicSuffix = e.IncludesSubdomains && PublicSuffixList.Default.IsPublicSuffix(e.Domain);
        if (publicSuffix) scope = $"every host under the public suffix {e.Domain} (any company's domain ending in .{e.Domain})";
        // Loopback traffic never leaves the device, so a weakened loopback entry is a warning, not a high-severity fail.
        var loopback = !e.IncludesSubdomains && HostNames.IsLoopback(e.Domain);
        Verdict? verdict = loopback ? Verdict.Warn : null;
        Severity? severity = loopback ? Severity.Low : null;
        var loopbackNote = loopback ? $" {e.Domain} carries only loopback traffic (to a server on the device itself), so only other code on the device could read it." : "";

        if (e.AllowsInsecureHttpLoads && e.InsecureHttpOrigin is { } insecure)
        {
            var local = !loopback && !PublicSuffixList.Default.IsPublicSuffix(e.Domain) && AtsPolicy.IsLocalHost(e.Domain)
                ? " (a local-network host: lower risk, but any app or device on the network can still see it)" : "";
            findings.Add(RuleCatalog.AtsDomainInsecureHttp, insecure.KeyPath, e.Domain, insecure.Evidence,
                $"{insecure.Key} lets the app talk to {scope} over plain HTTP, so traffic can be read and changed on the network{local}.{loopbackNote}{PinsDoNotCoverHttp(pinned)} " +
                "Serve the host over HTTPS and remove the key.", verdict, severity);
        }
        if (e.MinimumTls.IsDeprecated() && e.MinimumTlsOrigin is { } tls)
            findings.Add(RuleCatalog.AtsDomainWeakTls, tls.KeyPath, e.Domain, tls.Evidence,
                $"{tls.Key} lowers the minimum TLS version for {scope} to {e.MinimumTls.ToPlistString()}; TLS 1.0 and 1.1 are deprecated and ATS otherwise requires 1.2.{loopbackNote} " +
                "Enable TLS 1.2 or 1.3 on the server and remove the key (iOS 26 ignores this exception anyway).", verdict, severity);
        if (!e.RequiresForwardSecrecy && e.ForwardSecrecyOrigin is { } pfs)
            findings.Add(RuleCatalog.AtsDomainNoForwardSecrecy, pfs.KeyPath, e.Domain, pfs.Evidence,
                $"{pfs.Key} = NO lets {scope} use static-RSA key exchange, so anyone who later obtains the server key can decrypt recorded traffic.{loopbackNote} " +
                "Enable ECDHE cipher suites on the server and remove the key.", verdict, severity);
        if (e.IncludesSubdomains && e.IsWeakening && e.IncludesSubdomainsOrigin is { } sub)
        {
            var weakenings = new List<string>();
            if (e.AllowsInsecureHttpLoads) weakenings.Add("cleartext HTTP");
            if (e.MinimumTls.IsDeprecated()) weakenings.Add(e.MinimumTls.ToPlistString());
            if (!e.RequiresForwardSecrecy) weakenings.Add("no forward secrecy");
            if (publicSuffix)
                findings.Add(RuleCatalog.AtsDomainSubdomains, sub.KeyPath, e.Domain, $"{sub.Evidence}; {e.Domain} is a public suffix (Public Suffix List)",
                    $"{e.Domain} is a public suffix, so NSIncludesSubdomains extends the weakened policy ({string.Join(", ", weakenings)}) to every host under it: " +
                    $"in effect ATS is off for all .{e.Domain} sites. Name the app's own domain instead (for example example.{e.Domain}) and remove this entry.",
                    Verdict.Fail, Severity.High);
            else
                findings.Add(RuleCatalog.AtsDomainSubdomains, sub.KeyPath, e.Domain, sub.Evidence,
                    $"NSIncludesSubdomains extends the weakened policy for {e.Domain} ({string.Join(", ", weakenings)}) to every subdomain, present and future. " +
                    "List only the hosts that need the exception and set NSIncludesSubdomains to NO.");
        }
    }

    /// <summary>The pinned domain names whose ATS policy is the exception <paramref name="e"/>.</summary>
    private static IReadOnlyList<string> PinnedHostsGovernedBy(AtsPolicy policy, PinningConfiguration pins, AtsDomainException e) =>
        pins.Domains.Select(d => d.Domain).Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(d => ReferenceEquals(policy.ExceptionFor(d.ToLowerInvariant()), e)).ToList();

    /// <summary>Pins are checked during the TLS handshake, so a host that may be reached over plain HTTP gets no protection from them there.</summary>
    private static string PinsDoNotCoverHttp(IReadOnlyList<string> pinnedHosts) => pinnedHosts.Count == 0 ? "" :
        $" {string.Join(", ", pinnedHosts)} {(pinnedHosts.Count == 1 ? "is" : "are")} pinned, but pins only protect TLS connections: " +
        "over plain HTTP there is no certificate to check, so the pins do not protect that traffic.";
}
