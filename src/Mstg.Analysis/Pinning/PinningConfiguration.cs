using System.Globalization;
using Mstg.Analysis.Hosts;
using Mstg.Analysis.Rules;
using Mstg.Plist;

namespace Mstg.Analysis.Pinning;

public enum PinSource
{
    /// <summary>Apple identity pinning: <c>NSAppTransportSecurity/NSPinnedDomains</c> (iOS 14+).</summary>
    AtsPinnedDomains,
    /// <summary>TrustKit's <c>TSKConfiguration</c> dictionary, read by the library from the main bundle's Info.plist at load time.</summary>
    TrustKit,
}

public enum PinKind
{
    /// <summary><c>NSPinnedCAIdentities</c>: any CA certificate in the chain must match.</summary>
    CaIdentity,
    /// <summary><c>NSPinnedLeafIdentities</c>: the leaf must match.</summary>
    LeafIdentity,
    /// <summary>TrustKit <c>TSKPublicKeyHashes</c>: any certificate in the evaluated chain must match.</summary>
    PublicKeyHash,
}

/// <summary>One pin: base64 of the SHA-256 of a DER SubjectPublicKeyInfo.</summary>
/// <param name="IsValid">The value decodes from base64 to exactly 32 bytes.</param>
public sealed record Pin(string Value, PinKind Kind, bool IsValid, string KeyPath);

/// <summary>A pinned domain from either source, normalised to one shape.</summary>
public sealed record PinnedDomain
{
    public required PinSource Source { get; init; }
    public required string Domain { get; init; }
    public required string KeyPath { get; init; }
    public bool IncludesSubdomains { get; init; }
    public IReadOnlyList<Pin> Pins { get; init; } = [];

    /// <summary>False for TrustKit's report-only mode (<c>TSKEnforcePinning = NO</c>); ATS pins are always enforced.</summary>
    public bool Enforced { get; init; } = true;
    public string? EnforceEvidence { get; init; }

    /// <summary>TrustKit's <c>TSKExpirationDate</c> (start of that day, UTC); ATS pins never expire.</summary>
    public DateTimeOffset? Expiration { get; init; }
    public string? ExpirationEvidence { get; init; }

    public IEnumerable<Pin> ValidPins => Pins.Where(p => p.IsValid);

    public bool IsExpired(DateTimeOffset now) => Expiration is { } e && now >= e;

    /// <summary>
    /// The domain entry covers <paramref name="host"/>, case-insensitively. ATS: the exact host, or with
    /// NSIncludesSubdomains a host exactly one label below (SecPolicy.c, <c>parseNSPinnedDomains</c> with
    /// <c>CopyParentDomainNameFromHostName</c>). TrustKit: the exact host or, with TSKIncludeSubdomains, any subdomain.
    /// </summary>
    public bool Covers(string host) => Source == PinSource.AtsPinnedDomains
        ? HostNames.IsSameOrChild(host, Domain, IncludesSubdomains)
        : HostNames.IsSameOrUnder(host.Trim(), Domain, IncludesSubdomains);
}

/// <summary>
/// Pinning configured in Info.plist: Apple's <c>NSPinnedDomains</c> and TrustKit's <c>TSKConfiguration</c>, read into one
/// model. Used by <see cref="PinningConfigRules"/> and by the rule that decides whether the app pins at all (PIN-NONE).
/// </summary>
public sealed class PinningConfiguration
{
    public const string TrustKitRoot = "TSKConfiguration";

    private readonly List<PinnedDomain> _domains = [];
    private readonly List<ConfigIssue> _issues = [];

    private PinningConfiguration() { }

    public IReadOnlyList<PinnedDomain> Domains => _domains;

    /// <summary>Malformed pins and entries (PIN-INVALID-HASH) and unknown keys inside NSPinnedDomains (ATS-UNKNOWN-KEY).</summary>
    public IReadOnlyList<ConfigIssue> Issues => _issues;

    public bool HasAtsPinning => _domains.Any(d => d.Source == PinSource.AtsPinnedDomains);
    public bool HasTrustKit { get; private set; }

    /// <summary>Entries covering <paramref name="host"/>.</summary>
    public IEnumerable<PinnedDomain> For(string host) => _domains.Where(d => d.Covers(host));

    /// <summary>
    /// Is <paramref name="host"/> effectively pinned at <paramref name="now"/>. ATS: every entry covering the host adds its
    /// pins (parseNSPinnedDomains walks all entries and appends the identities of each match, exact and parent), so the
    /// host is pinned when any covering entry has a well-formed pin. TrustKit: only the most specific entry counts, which
    /// must be enforced, not expired and hold a well-formed pin; a subdomain entry with
    /// <c>kSKExcludeSubdomainFromParentPolicy</c> takes the host out of its parent's pins.
    /// </summary>
    public bool IsPinned(string host, DateTimeOffset now) =>
        _domains.Where(d => d.Source == PinSource.AtsPinnedDomains).Any(d => d.Covers(host) && d.ValidPins.Any()) ||
        (_domains.Where(d => d.Source == PinSource.TrustKit && d.Covers(host)).MaxBy(d => d.Domain.Length) is { } t
         && t.Enforced && !t.IsExpired(now) && t.ValidPins.Any());

    public static PinningConfiguration Read(PlistDict info)
    {
        var config = new PinningConfiguration();
        if (info[AtsKeys.Root] is PlistDict ats && ats[AtsKeys.PinnedDomains] is PlistDict pinned)
            config.ReadAts(pinned, $"{AtsKeys.Root}/{AtsKeys.PinnedDomains}");
        if (info.GetEntry(TrustKitRoot) is { } tsk)
        {
            config.HasTrustKit = true;
            if (tsk.Value is PlistDict trustKit) config.ReadTrustKit(trustKit, TrustKitRoot);
            else config.Malformed(TrustKitRoot, null, PlistValues.Evidence(TrustKitRoot, tsk.Value),
                $"TSKConfiguration must be a dictionary but is {PlistValues.Describe(tsk.Value)}; TrustKit cannot start with it, so nothing is pinned.");
        }
        return config;
    }

    // ---------------------------------------------------------------- NSPinnedDomains

    private void ReadAts(PlistDict pinned, string path)
    {
        foreach (var domain in pinned.Keys)
        {
            var domainPath = $"{path}/{domain}";
            if (PlistValues.HasBuildVariable(domain))
                _issues.Add(new ConfigIssue(RuleCatalog.AtsUnresolvedVariable, domainPath, domain, domain,
                    $"The pinned domain \"{domain}\" contains an unresolved build variable; a shipped app would compare the literal text and pin no real host. " +
                    "Confirm the built Info.plist names the intended host."));
            if (pinned[domain] is not PlistDict entry)
            {
                Malformed(domainPath, domain, PlistValues.Evidence(domain, pinned[domain]!),
                    $"The NSPinnedDomains entry for {domain} must be a dictionary; iOS ignores it, so {domain} is not pinned.");
                continue;
            }
            foreach (var key in entry.Keys.Where(k => !AtsKeys.PinnedDomain.Contains(k)))
            {
                var hint = AtsKeys.Suggest(key, AtsKeys.PinnedDomain) is { } s ? $" Did you mean {s}?" : "";
                _issues.Add(new ConfigIssue(RuleCatalog.AtsUnknownKey, $"{domainPath}/{key}", domain, PlistValues.Evidence(key, entry[key]!),
                    $"{key} is not a key Apple defines for an NSPinnedDomains entry, so iOS ignores it.{hint} Correct or delete it."));
            }

            var includes = ReadPinnedIncludesSubdomains(entry, domainPath, domain);
            var pins = new List<Pin>();
            var lists = 0;
            foreach (var (key, kind) in new[] { (AtsKeys.PinnedCaIdentities, PinKind.CaIdentity), (AtsKeys.PinnedLeafIdentities, PinKind.LeafIdentity) })
            {
                if (entry[key] is not { } node) continue;
                var firstIssue = _issues.Count;
                lists++;
                var listPath = $"{domainPath}/{key}";
                if (node is not PlistArray identities)
                {
                    Malformed(listPath, domain, PlistValues.Evidence(key, node),
                        $"{key} for {domain} must be an array of dictionaries but is {PlistValues.Describe(node)}; iOS cannot use it, so the pin set is broken.");
                    continue;
                }
                if (identities.Count == 0)
                    Malformed(listPath, domain, PlistValues.Evidence(key, node),
                        $"{key} for {domain} is empty: no certificate can match, so every connection to {domain} fails (or the entry is ignored). Add the SPKI hashes, including a backup.");
                for (var i = 0; i < identities.Count; i++)
                {
                    var itemPath = $"{listPath}/{i}";
                    if (identities[i] is not PlistDict identity || identity[AtsKeys.SpkiSha256Base64] is not { } hashNode)
                    {
                        Malformed(itemPath, domain, $"{key}[{i}] = {PlistValues.Show(identities[i])}",
                            $"Item {i} of {key} for {domain} must be a dictionary with an SPKI-SHA256-BASE64 string; it cannot match any certificate.");
                        continue;
                    }
                    foreach (var extra in identity.Keys.Where(k => k != AtsKeys.SpkiSha256Base64))
                        _issues.Add(new ConfigIssue(RuleCatalog.AtsUnknownKey, $"{itemPath}/{extra}", domain, PlistValues.Evidence(extra, identity[extra]!),
                            $"{extra} is not a key Apple defines for a pinned identity (only SPKI-SHA256-BASE64), so iOS ignores it."));
                    pins.Add(ReadPin(hashNode, kind, $"{itemPath}/{AtsKeys.SpkiSha256Base64}", domain, AtsKeys.SpkiSha256Base64));
                }
                SoftenSkippedPins(firstIssue, pins.Where(p => p.Kind == kind).ToList(), domain, key);
            }
            if (lists == 0)
                Malformed(domainPath, domain, PlistValues.Evidence(domain, entry),
                    $"The NSPinnedDomains entry for {domain} has neither NSPinnedCAIdentities nor NSPinnedLeafIdentities, so it pins nothing. Add the SPKI hashes of your CA or leaf keys.");

            _domains.Add(new PinnedDomain
            {
                Source = PinSource.AtsPinnedDomains, Domain = domain, KeyPath = domainPath, IncludesSubdomains = includes, Pins = pins,
            });
        }
    }

    // ---------------------------------------------------------------- TrustKit

    private void ReadTrustKit(PlistDict tsk, string path)
    {
        var domainsPath = $"{path}/TSKPinnedDomains";
        if (tsk["TSKPinnedDomains"] is not PlistDict domains || domains.Count == 0)
        {
            Malformed(domainsPath, null, tsk["TSKPinnedDomains"] is { } n ? PlistValues.Evidence("TSKPinnedDomains", n) : "TSKPinnedDomains missing",
                "TrustKit requires a non-empty TSKPinnedDomains dictionary and refuses to start without it, so nothing is pinned.");
            return;
        }
        foreach (var domain in domains.Keys)
        {
            var domainPath = $"{domainsPath}/{domain}";
            if (domains[domain] is not PlistDict entry)
            {
                Malformed(domainPath, domain, PlistValues.Evidence(domain, domains[domain]!), $"The TrustKit entry for {domain} must be a dictionary; TrustKit rejects the configuration.");
                continue;
            }
            var pins = new List<Pin>();
            var hashesPath = $"{domainPath}/TSKPublicKeyHashes";
            if (entry["TSKPublicKeyHashes"] is PlistArray hashes && hashes.Count > 0)
            {
                var firstIssue = _issues.Count;
                for (var i = 0; i < hashes.Count; i++)
                    pins.Add(ReadPin(hashes[i], PinKind.PublicKeyHash, $"{hashesPath}/{i}", domain, $"TSKPublicKeyHashes[{i}]"));
                SoftenSkippedPins(firstIssue, pins, domain, "TSKPublicKeyHashes");
            }
            else if (!entry.Keys.Contains("kSKExcludeSubdomainFromParentPolicy"))
            {
                Malformed(hashesPath, domain, entry["TSKPublicKeyHashes"] is { } h ? PlistValues.Evidence("TSKPublicKeyHashes", h) : "TSKPublicKeyHashes missing",
                    $"TrustKit requires a non-empty TSKPublicKeyHashes array for {domain}; without it the configuration is rejected and nothing is pinned.");
            }

            var enforced = true;
            string? enforceEvidence = null;
            if (entry["TSKEnforcePinning"] is { } enforce)
            {
                enforced = PlistValues.ReadBool(enforce, true).Value;
                enforceEvidence = PlistValues.Evidence("TSKEnforcePinning", enforce);
            }

            DateTimeOffset? expiration = null;
            string? expirationEvidence = null;
            if (entry["TSKExpirationDate"] is { } expiry)
            {
                expirationEvidence = PlistValues.Evidence("TSKExpirationDate", expiry);
                expiration = expiry switch
                {
                    PlistDate d => d.Value,
                    // TrustKit parses yyyy-MM-dd in UTC; the pins stop being enforced from the start of that day.
                    PlistString s when DateTime.TryParseExact(s.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day) => new DateTimeOffset(day, TimeSpan.Zero),
                    _ => null,
                };
                if (expiration is null)
                    Malformed($"{domainPath}/TSKExpirationDate", domain, expirationEvidence,
                        $"TSKExpirationDate for {domain} must be a date string in the form yyyy-MM-dd; TrustKit cannot read {PlistValues.Describe(expiry)}.");
            }

            _domains.Add(new PinnedDomain
            {
                Source = PinSource.TrustKit, Domain = domain, KeyPath = domainPath, Pins = pins,
                IncludesSubdomains = entry["TSKIncludeSubdomains"] is { } inc && PlistValues.ReadBool(inc, false).Value,
                Enforced = enforced, EnforceEvidence = enforceEvidence, Expiration = expiration, ExpirationEvidence = expirationEvidence,
            });
        }
    }

    /// <summary>
    /// NSIncludesSubdomains in an NSPinnedDomains entry takes effect only as the Boolean true: parseNSPinnedDomains
    /// (SecPolicy.c) compares the value with <c>kCFBooleanTrue</c> by identity, so a string "YES" or the number 1 leaves
    /// the subdomains unpinned. Such a value is reported, because the developer meant to pin them.
    /// </summary>
    private bool ReadPinnedIncludesSubdomains(PlistDict entry, string domainPath, string domain)
    {
        if (entry[AtsKeys.IncludesSubdomains] is not { } node) return false;
        if (node is PlistBoolean b) return b.Value;
        _issues.Add(new ConfigIssue(RuleCatalog.AtsInvalidValue, $"{domainPath}/{AtsKeys.IncludesSubdomains}", domain, PlistValues.Evidence(AtsKeys.IncludesSubdomains, node),
            $"NSIncludesSubdomains for the pinned domain {domain} is {PlistValues.Describe(node)}, not a Boolean. iOS applies the pins to subdomains only when " +
            $"the value is <true/> (it compares with the Boolean true), so the subdomains of {domain} are not pinned. Write <true/>."));
        return false;
    }

    /// <summary>
    /// iOS skips a malformed entry of a pin list and keeps the others (parseNSPinnedDomains appends only identities that
    /// decode), so while a list still holds a usable pin its bad entries are a warning, not a broken pin set.
    /// </summary>
    private void SoftenSkippedPins(int firstIssue, IReadOnlyList<Pin> listPins, string domain, string listName)
    {
        var usable = listPins.Count(p => p.IsValid);
        if (usable == 0) return;
        for (var i = firstIssue; i < _issues.Count; i++)
        {
            var issue = _issues[i];
            if (issue.RuleId != RuleCatalog.PinInvalidHash) continue;
            _issues[i] = issue with
            {
                Verdict = Verdict.Warn, Severity = Severity.Low,
                Message = issue.Message + $" The entry is skipped and {usable} usable pin(s) in {listName} remain, so {domain} is still pinned; fix or remove the bad entry.",
            };
        }
    }

    // ---------------------------------------------------------------- shared

    private Pin ReadPin(PlistNode node, PinKind kind, string keyPath, string domain, string label)
    {
        if (node is not PlistString s)
        {
            Malformed(keyPath, domain, $"{label} = {PlistValues.Show(node)}",
                $"The pin for {domain} must be a base64 string but is {PlistValues.Describe(node)}; it can never match a certificate.");
            return new Pin(PlistValues.Show(node), kind, false, keyPath);
        }
        if (IsSha256Base64(s.Value)) return new Pin(s.Value, kind, true, keyPath);
        var variable = PlistValues.HasBuildVariable(s.Value) ? " (it still holds an unresolved build variable)" : "";
        Malformed(keyPath, domain, $"{label} = \"{s.Value}\"",
            $"The pin \"{s.Value}\" for {domain} is not the base64 encoding of a 32-byte SHA-256 digest{variable}, so it can never match a certificate. " +
            "Compute it with: openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64");
        return new Pin(s.Value, kind, false, keyPath);
    }

    /// <summary>Base64 (standard alphabet, padded) of exactly 32 bytes: 44 characters ending in one '='.</summary>
    public static bool IsSha256Base64(string value)
    {
        Span<byte> buffer = stackalloc byte[48];
        return value.Length == 44 && Convert.TryFromBase64String(value, buffer, out var written) && written == 32;
    }

    private void Malformed(string keyPath, string? domain, string evidence, string message) =>
        _issues.Add(new ConfigIssue(RuleCatalog.PinInvalidHash, keyPath, domain, evidence, message));
}
