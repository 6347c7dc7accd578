using System.Net;
using Mstg.Analysis.Hosts;
using Mstg.Analysis.Rules;
using Mstg.Plist;

namespace Mstg.Analysis.Ats;

/// <summary>
/// The effective App Transport Security policy of one Info.plist, read the way iOS reads it, plus every oddity
/// noticed on the way (<see cref="Issues"/>). Pure: no bundle, no findings. <see cref="AtsRules"/> turns it into
/// findings; reports and the dynamic suite ask it questions such as <see cref="IsCleartextAllowed"/>.
/// </summary>
/// <remarks>
/// Semantics (Apple, Information Property List › NSAppTransportSecurity and its sub-keys, and Apple's reader in the
/// Security project, SecProtocolConfiguration.m; docs/rules.md cites each behaviour):
/// <list type="bullet">
/// <item>An <c>NSExceptionDomains</c> entry replaces the global policy for the hosts it covers; keys it does not set
/// take the ATS defaults (no cleartext, TLS 1.2, forward secrecy, no CT requirement).</item>
/// <item>On iOS 10+ / macOS 10.12+ the presence of NSAllowsArbitraryLoadsInWebContent, …ForMedia or
/// NSAllowsLocalNetworking with a Boolean (or number) value makes ATS ignore NSAllowsArbitraryLoads; a value of
/// another type is ignored by the reader and does not count as present.</item>
/// <item>Boolean keys are read as Apple's reader does (<see cref="PlistValues.ReadAtsBool"/>); an unknown
/// NSExceptionMinimumTLSVersion leaves the TLS 1.2 default in place.</item>
/// <item>A domain entry covers the exact host, and with NSIncludesSubdomains every subdomain at any depth; the
/// nearest entry wins. Keys are looked up exactly as written: a key with upper-case letters matches no host (host
/// names reach ATS in lower case). A trailing dot is significant.</item>
/// <item>Legacy NSTemporaryException*/NSThirdPartyException* keys act as their modern twin; when both are present
/// the weaker value is used (CFNetwork's precedence is undocumented, so we assume the worse).</item>
/// </list>
/// </remarks>
public sealed class AtsPolicy
{
    /// <summary>
    /// The device assumed when a query gives no OS version: one recent enough for the iOS 10 rules but older than
    /// iOS 26, which per MASTG-KNOW-0071/BEST-0042 no longer honours TLS 1.0/1.1 exceptions. This is the
    /// device on which the plist's exceptions have their full effect.
    /// </summary>
    public static readonly Version DefaultIosDevice = new(18, 0);
    public static readonly Version DefaultMacDevice = new(15, 0);

    private readonly List<AtsDomainException> _exceptions = [];
    private readonly List<ConfigIssue> _issues = [];
    private readonly List<string> _overriders = [];
    private readonly Dictionary<string, SettingOrigin> _globalOrigins = new(StringComparer.Ordinal);

    private AtsPolicy(BundleTarget target) => Target = target;

    public BundleTarget Target { get; }

    /// <summary>Info.plist has an <c>NSAppTransportSecurity</c> dictionary.</summary>
    public bool IsDeclared { get; private set; }

    public bool AllowsArbitraryLoads { get; private set; }
    public bool AllowsArbitraryLoadsInWebContent { get; private set; }
    public bool AllowsArbitraryLoadsForMedia { get; private set; }
    public bool AllowsLocalNetworking { get; private set; }

    /// <summary>Which of the keys that override NSAllowsArbitraryLoads on iOS 10+ are present (any value).</summary>
    public IReadOnlyList<string> ArbitraryLoadsOverriders => _overriders;

    /// <summary>The plist key and value behind each global setting that is present.</summary>
    public IReadOnlyDictionary<string, SettingOrigin> GlobalOrigins => _globalOrigins;

    public IReadOnlyList<AtsDomainException> Exceptions => _exceptions;
    public IReadOnlyList<ConfigIssue> Issues => _issues;

    public static AtsPolicy Evaluate(PlistDict info) => Evaluate(info, BundleTarget.Read(info));

    public static AtsPolicy Evaluate(PlistDict info, BundleTarget target)
    {
        var policy = new AtsPolicy(target);
        policy.Read(info);
        return policy;
    }

    // ---------------------------------------------------------------- queries

    /// <summary>Whether NSAllowsArbitraryLoads takes effect on a device running <paramref name="os"/>.</summary>
    public bool ArbitraryLoadsInEffect(Version? os = null)
    {
        if (!AllowsArbitraryLoads) return false;
        var device = os ?? DefaultDevice;
        return _overriders.Count == 0 || device < Target.FinerKeysIntroduced;
    }

    /// <summary>The exception entry that governs <paramref name="host"/>, or null when the global policy does.</summary>
    public AtsDomainException? ExceptionFor(string host)
    {
        var name = Normalize(host);
        var usable = _exceptions.Where(e => e.NoMatchReason is null).ToList();
        var bare = name.Trim('[', ']'); // an IPv6 host is written in brackets in a URL, bare in a key
        var exact = usable.Where(e => e.Domain == name || e.Domain == bare).OrderByDescending(e => e.Weakness).FirstOrDefault();
        if (exact is not null) return exact;

        if (IPAddress.TryParse(bare, out var address))
            return usable.Where(e => IPNetwork.TryParse(e.Domain, out var net) && net.Contains(address))
                         .OrderByDescending(e => IPNetwork.Parse(e.Domain).PrefixLength).FirstOrDefault();

        // Nearest parent entry with NSIncludesSubdomains wins, at any depth (sec_protocol_configuration_find_exception_for_host).
        foreach (var parent in HostNames.Parents(name))
        {
            var match = usable.Where(e => e.IncludesSubdomains && e.Domain == parent)
                              .OrderByDescending(e => e.Weakness).FirstOrDefault();
            if (match is not null) return match;
        }
        return null;
    }

    /// <summary>Built against an SDK older than ATS (iOS 9 / OS X 10.11): the system applies no ATS at all (MASTG-TEST-0067).</summary>
    public bool AtsDisabledBySdk => Target.Sdk is { } sdk && sdk < Target.AtsIntroduced;

    /// <summary>May the URL Loading System send plain HTTP to <paramref name="host"/>?</summary>
    public bool IsCleartextAllowed(string host, Version? os = null, AtsTraffic traffic = AtsTraffic.UrlSession)
    {
        var device = os ?? DefaultDevice;
        if (AtsDisabledBySdk) return true;
        if (ExceptionFor(host) is { } exception) return exception.AllowsInsecureHttpLoads;
        if (TrafficExempt(traffic, device)) return true;
        if (IsLocalHost(host) && device >= Target.FinerKeysIntroduced) return true;
        return ArbitraryLoadsInEffect(device);
    }

    /// <summary>The lowest TLS version ATS accepts for <paramref name="host"/>, or null when ATS does not constrain it.</summary>
    public TlsVersion? MinimumTls(string host, Version? os = null, AtsTraffic traffic = AtsTraffic.UrlSession)
    {
        var device = os ?? DefaultDevice;
        TlsVersion? result;
        if (AtsDisabledBySdk) result = null;
        else if (ExceptionFor(host) is { } exception) result = exception.MinimumTls;
        else if (TrafficExempt(traffic, device) || (IsLocalHost(host) && device >= Target.FinerKeysIntroduced) || ArbitraryLoadsInEffect(device)) result = null;
        else result = TlsVersions.AtsDefault;

        // iOS/macOS 26 refuse TLS 1.0/1.1 in URLSession whatever the plist says (MASTG-KNOW-0071, BEST-0042).
        var floorFrom = new Version(26, 0);
        if (device >= floorFrom && (result is null || result < TlsVersion.Tls12)) result = TlsVersion.Tls12;
        return result;
    }

    /// <summary>Does ATS insist on an ECDHE (forward secret) cipher suite for <paramref name="host"/>?</summary>
    public bool RequiresForwardSecrecy(string host, Version? os = null, AtsTraffic traffic = AtsTraffic.UrlSession)
    {
        var device = os ?? DefaultDevice;
        if (AtsDisabledBySdk) return false;
        if (ExceptionFor(host) is { } exception) return exception.RequiresForwardSecrecy;
        if (TrafficExempt(traffic, device) || (IsLocalHost(host) && device >= Target.FinerKeysIntroduced)) return false;
        return !ArbitraryLoadsInEffect(device);
    }

    /// <summary>IP addresses, unqualified names and <c>.local</c> hosts: ATS does not protect them from iOS 10 on (Apple, NSAllowsLocalNetworking).</summary>
    public static bool IsLocalHost(string host)
    {
        var name = Normalize(host).TrimEnd('.');
        if (IPAddress.TryParse(name.Trim('[', ']'), out _)) return true;
        return !name.Contains('.') || name.EndsWith(".local", StringComparison.Ordinal);
    }

    private Version DefaultDevice => Target.Platform == TargetPlatform.MacOS ? DefaultMacDevice : DefaultIosDevice;

    private bool TrafficExempt(AtsTraffic traffic, Version device) => device >= Target.FinerKeysIntroduced && traffic switch
    {
        AtsTraffic.WebContent => AllowsArbitraryLoadsInWebContent,
        AtsTraffic.Media => AllowsArbitraryLoadsForMedia,
        _ => false,
    };

    private static string Normalize(string host) => host.Trim().ToLowerInvariant();

    // ---------------------------------------------------------------- reading

    private void Read(PlistDict info)
    {
        NoteTopLevelLookalikes(info);
        var rootEntry = info.GetEntry(AtsKeys.Root);
        if (rootEntry is null) return;
        NoteDuplicates(info, "", only: AtsKeys.Root);

        const string root = AtsKeys.Root;
        if (rootEntry.Value is not PlistDict ats)
        {
            Issue(RuleCatalog.AtsInvalidValue, root, null, PlistValues.Evidence(root, rootEntry.Value),
                $"NSAppTransportSecurity must be a dictionary but is {PlistValues.Describe(rootEntry.Value)}; iOS ignores it and applies full ATS. " +
                "Write it as a <dict> or remove it.");
            return;
        }
        IsDeclared = true;
        NoteDuplicates(ats, root);

        foreach (var key in ats.Keys)
        {
            if (AtsKeys.Global.Contains(key)) continue;
            var path = $"{root}/{key}";
            if (AtsKeys.LegacyTwins.ContainsKey(key) || AtsKeys.Domain.Contains(key))
                Issue(RuleCatalog.AtsUnknownKey, path, null, PlistValues.Evidence(key, ats[key]!),
                    $"{key} is a per-domain key; directly under NSAppTransportSecurity iOS ignores it. " +
                    "Move it into an NSExceptionDomains entry if the exception is really needed, or delete it.");
            else
                UnknownKey(path, key, ats[key]!, AtsKeys.Global, "NSAppTransportSecurity", null);
        }

        AllowsArbitraryLoads = GlobalBool(ats, AtsKeys.AllowsArbitraryLoads);
        AllowsArbitraryLoadsInWebContent = GlobalBool(ats, AtsKeys.AllowsArbitraryLoadsInWebContent);
        AllowsArbitraryLoadsForMedia = GlobalBool(ats, AtsKeys.AllowsArbitraryLoadsForMedia);
        AllowsLocalNetworking = GlobalBool(ats, AtsKeys.AllowsLocalNetworking);
        // Only a value Apple's reader accepts makes the key "present" (ATS_VALUE_FOR_KEY leaves kATSGlobalKeyNotPresent
        // for a string, and sec_protocol_configuration_tls_required compares against kATSGlobalKeyNotPresent).
        foreach (var key in AtsKeys.ArbitraryLoadsOverriders)
            if (ats[key] is { } node && PlistValues.ReadAtsBool(node, false).Readable) _overriders.Add(key);

        if (ats.GetEntry(AtsKeys.ExceptionDomains) is { } domainsEntry)
        {
            var path = $"{root}/{AtsKeys.ExceptionDomains}";
            if (domainsEntry.Value is PlistDict domains) ReadExceptionDomains(domains, path);
            else
                Issue(RuleCatalog.AtsInvalidValue, path, null, PlistValues.Evidence(AtsKeys.ExceptionDomains, domainsEntry.Value),
                    $"NSExceptionDomains must be a dictionary of domain names but is {PlistValues.Describe(domainsEntry.Value)}; iOS ignores it, so no domain gets an exception.");
        }

        if (ats.GetEntry(AtsKeys.PinnedDomains) is { Value: not PlistDict } pinned)
            Issue(RuleCatalog.AtsInvalidValue, $"{root}/{AtsKeys.PinnedDomains}", null, PlistValues.Evidence(AtsKeys.PinnedDomains, pinned.Value),
                $"NSPinnedDomains must be a dictionary of domain names but is {PlistValues.Describe(pinned.Value)}; iOS ignores it, so nothing is pinned.");
    }

    private void NoteTopLevelLookalikes(PlistDict info)
    {
        foreach (var key in info.Keys)
        {
            if (key == AtsKeys.Root || !(string.Equals(key, AtsKeys.Root, StringComparison.OrdinalIgnoreCase)
                                         || (key.StartsWith("NSAppTransport", StringComparison.OrdinalIgnoreCase))))
                continue;
            Issue(RuleCatalog.AtsUnknownKey, key, null, PlistValues.Evidence(key, info[key]!),
                $"Info.plist key \"{key}\" is not NSAppTransportSecurity (keys are case-sensitive), so iOS ignores everything in it. " +
                "Rename it to NSAppTransportSecurity if the settings are wanted, or delete it.");
        }
    }

    private void NoteDuplicates(PlistDict dict, string path, string? only = null)
    {
        foreach (var duplicate in dict.DuplicateKeys)
        {
            if (only is not null && duplicate.Key != only) continue;
            var keyPath = path.Length == 0 ? duplicate.Key : $"{path}/{duplicate.Key}";
            Issue(RuleCatalog.AtsInvalidValue, keyPath, null, PlistValues.Evidence(duplicate.Key, duplicate.Value),
                $"{duplicate.Key} is written more than once in the same dictionary ({duplicate.KeyPosition}); iOS keeps only the last one " +
                "and silently drops the earlier ones, which is how it is evaluated here. Merge the entries into one.");
        }
    }

    private bool GlobalBool(PlistDict ats, string key)
    {
        var entry = ats.GetEntry(key);
        if (entry is null) return false;
        var path = $"{AtsKeys.Root}/{key}";
        var value = ReadBool(entry.Value, key, path, null, defaultValue: false);
        if (PlistValues.ReadAtsBool(entry.Value, false).Readable)
            _globalOrigins[key] = new SettingOrigin(key, path, PlistValues.Evidence(key, entry.Value));
        return value;
    }

    private void ReadExceptionDomains(PlistDict domains, string path)
    {
        NoteDuplicates(domains, path);
        foreach (var domain in domains.Keys)
        {
            var domainPath = $"{path}/{domain}";
            var node = domains[domain]!;
            if (node is not PlistDict settings)
            {
                Issue(RuleCatalog.AtsInvalidValue, domainPath, domain, PlistValues.Evidence(domain, node),
                    $"The exception for {domain} must be a dictionary but is {PlistValues.Describe(node)}; iOS ignores it, so {domain} follows the global policy.");
                continue;
            }
            _exceptions.Add(ReadException(domain, domainPath, settings));
        }
    }

    private AtsDomainException ReadException(string domain, string path, PlistDict settings)
    {
        NoteDuplicates(settings, path);
        var unresolved = PlistValues.HasBuildVariable(domain);
        if (unresolved)
            Issue(RuleCatalog.AtsUnresolvedVariable, path, domain, domain,
                $"The exception domain \"{domain}\" contains an unresolved build variable. In a shipped app iOS compares the literal text, which matches no host; " +
                "in a source tree Xcode substitutes it at build time. The exception is evaluated as written; confirm the built Info.plist names the intended host.");

        // A build variable is substituted at build time; only the literal parts can be judged, so skip the shape check.
        var noMatch = unresolved ? null : WhyDomainMatchesNothing(domain);
        if (noMatch is not null)
            Issue(RuleCatalog.AtsInvalidValue, path, domain, domain,
                $"The exception domain \"{domain}\" can never match a host because {noMatch}, so iOS never applies it and its settings are not evaluated. " +
                "Write the bare host name (example.com) and use NSIncludesSubdomains for subdomains.");

        foreach (var key in settings.Keys)
        {
            var keyPath = $"{path}/{key}";
            if (AtsKeys.Domain.Contains(key)) continue;
            if (AtsKeys.LegacyTwins.TryGetValue(key, out var twin))
                Issue(RuleCatalog.AtsLegacyKey, keyPath, domain, PlistValues.Evidence(key, settings[key]!),
                    $"{key} is a pre-iOS 9 name Apple no longer documents; iOS still applies it as {twin}, and it is evaluated as that key here. " +
                    $"Rename it to {twin} so reviews see the exception (or remove it if {domain} now meets ATS).");
            else UnknownKey(keyPath, key, settings[key]!, AtsKeys.Domain, $"the exception for {domain}", domain);
        }

        var includes = DomainBool(settings, domain, path, AtsKeys.IncludesSubdomains, false, weakIs: true, out var includesOrigin);
        var insecure = DomainBool(settings, domain, path, AtsKeys.ExceptionAllowsInsecureHttpLoads, false, weakIs: true, out var insecureOrigin);
        var forwardSecrecy = DomainBool(settings, domain, path, AtsKeys.ExceptionRequiresForwardSecrecy, true, weakIs: false, out var pfsOrigin);
        var ct = DomainBool(settings, domain, path, AtsKeys.RequiresCertificateTransparency, false, weakIs: false, out _);
        var tls = DomainTls(settings, domain, path, out var tlsOrigin);

        return new AtsDomainException
        {
            Domain = domain, KeyPath = path,
            IncludesSubdomains = includes, AllowsInsecureHttpLoads = insecure, RequiresForwardSecrecy = forwardSecrecy,
            RequiresCertificateTransparency = ct, MinimumTls = tls,
            IncludesSubdomainsOrigin = includesOrigin, InsecureHttpOrigin = insecureOrigin, ForwardSecrecyOrigin = pfsOrigin, MinimumTlsOrigin = tlsOrigin,
            NoMatchReason = noMatch, HasUnresolvedVariable = unresolved,
        };
    }

    /// <summary>
    /// Reads a per-domain Boolean from the modern key and its legacy twins. The result is the weak value
    /// (<paramref name="weakIs"/>) if any of them says so; the origin is the key that decided it.
    /// </summary>
    private bool DomainBool(PlistDict settings, string domain, string path, string modernKey, bool defaultValue, bool weakIs, out SettingOrigin? origin)
    {
        origin = null;
        var result = defaultValue;
        foreach (var key in AtsKeys.WithTwins(modernKey))
        {
            if (settings[key] is not { } node) continue;
            var keyPath = $"{path}/{key}";
            var value = ReadBool(node, key, keyPath, domain, defaultValue);
            if (origin is null || (value == weakIs && result != weakIs))
                (result, origin) = (value, new SettingOrigin(key, keyPath, PlistValues.Evidence(key, node)));
        }
        return result;
    }

    private TlsVersion DomainTls(PlistDict settings, string domain, string path, out SettingOrigin? origin)
    {
        origin = null;
        var result = TlsVersions.AtsDefault;
        foreach (var key in AtsKeys.WithTwins(AtsKeys.ExceptionMinimumTlsVersion))
        {
            if (settings[key] is not { } node) continue;
            var keyPath = $"{path}/{key}";
            var value = ReadTls(node, key, keyPath, domain);
            if (origin is null || value < result) { result = value; origin = new SettingOrigin(key, keyPath, PlistValues.Evidence(key, node)); }
        }
        return result;
    }

    /// <summary>
    /// Apple documents exactly TLSv1.0, TLSv1.1, TLSv1.2 and TLSv1.3. Apple's reader keeps the TLS 1.2 default for
    /// anything else: a non-string is ignored (<c>STRING_FOR_KEY</c> default <c>@"TLSv1.2"</c>) and an unknown string maps to
    /// version 0, which <c>..._copy_transformed_options_for_host_or_address_internal</c> skips, leaving the ATS minimum
    /// of TLS 1.2 (SecProtocolConfiguration.m, <c>sec_protocol_configuration_protocol_string_to_version</c>).
    /// </summary>
    private TlsVersion ReadTls(PlistNode node, string key, string keyPath, string domain)
    {
        if (node is PlistString s && TlsVersions.TryParse(s.Value, out var version)) return version;
        var evidence = PlistValues.Evidence(key, node);
        if (node is PlistString variable && PlistValues.HasBuildVariable(variable.Value))
            Issue(RuleCatalog.AtsUnresolvedVariable, keyPath, domain, evidence,
                $"{key} for {domain} holds an unresolved build variable, so the TLS floor iOS sees is not the one intended. " +
                "Read literally it is not a version, so iOS keeps its TLS 1.2 default; if the build substitutes TLSv1.0 or TLSv1.1 the floor drops. " +
                "Put the literal version (TLSv1.2 or TLSv1.3) in the plist.");
        else
            Issue(RuleCatalog.AtsInvalidValue, keyPath, domain, evidence,
                $"{key} for {domain} is {PlistValues.Describe(node)}, not one of TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3. Apple's ATS reader ignores such a value " +
                "and keeps the TLS 1.2 default, so the key does nothing. If a lower floor was intended, the server should be fixed instead; otherwise remove the key.");
        return TlsVersions.AtsDefault;
    }

    private bool ReadBool(PlistNode node, string key, string keyPath, string? domain, bool defaultValue)
    {
        var reading = PlistValues.ReadAtsBool(node, defaultValue);
        if (reading.WellTyped) return reading.Value;
        var evidence = PlistValues.Evidence(key, node);
        var where = domain is null ? key : $"{key} for {domain}";
        var intended = node is PlistString text ? PlistValues.StringBoolValue(text.Value) : reading.Value;
        var differs = intended != reading.Value
            ? $" The value reads as {Yes(intended)} to a human, so the configuration does not do what it says: review it."
            : "";
        if (node is PlistString s && PlistValues.HasBuildVariable(s.Value))
            Issue(RuleCatalog.AtsUnresolvedVariable, keyPath, domain, evidence,
                $"{where} holds an unresolved build variable instead of a Boolean; Apple's ATS reader ignores a string, so the default {Yes(defaultValue)} applies. " +
                "If the build substitutes a Boolean the verdict may change; write <true/> or <false/>.");
        else if (reading.Readable)
            Issue(RuleCatalog.AtsInvalidValue, keyPath, domain, evidence,
                $"{where} is {PlistValues.Describe(node)} where a Boolean belongs. Apple's ATS reader accepts a number and reads it as YES only when it equals 1, " +
                $"so it counts as {Yes(reading.Value)}. Write <{(reading.Value ? "true" : "false")}/> instead.");
        else
            Issue(RuleCatalog.AtsInvalidValue, keyPath, domain, evidence,
                $"{where} is {PlistValues.Describe(node)}, not a Boolean; Apple's ATS reader ignores it as if the key were absent, so the default {Yes(defaultValue)} applies.{differs} " +
                $"Write <true/> or <false/>.");
        return reading.Value;
    }

    private static string Yes(bool value) => value ? "YES" : "NO";

    private void UnknownKey(string keyPath, string key, PlistNode value, IEnumerable<string> known, string where, string? domain)
    {
        var suggestion = AtsKeys.Suggest(key, known.Concat(AtsKeys.LegacyTwins.Keys));
        var hint = suggestion is null ? "" : $" Did you mean {suggestion}?";
        Issue(RuleCatalog.AtsUnknownKey, keyPath, domain, PlistValues.Evidence(key, value),
            $"{key} is not a key Apple defines in {where}, so iOS ignores it and it has no effect.{hint} " +
            "Correct the spelling if the setting is intended, otherwise delete it.");
    }

    /// <summary>Apple: no scheme, no port, no path, no wildcards; IP addresses and CIDR ranges are accepted from iOS 17.</summary>
    private static string? WhyDomainMatchesNothing(string domain)
    {
        if (domain.Length == 0) return "the domain name is empty";
        if (IPAddress.TryParse(domain, out _) || IPNetwork.TryParse(domain, out _)) return null;
        if (domain.Contains("://", StringComparison.Ordinal)) return "it includes a URL scheme";
        if (domain.Contains('*')) return "wildcards are not supported (use the parent domain with NSIncludesSubdomains)";
        if (domain.Contains('/')) return "it includes a path";
        if (domain.Contains(':')) return "it includes a port number";
        if (domain.Any(char.IsWhiteSpace)) return "it contains white space";
        // Apple's reader stores the key as written and looks hosts up with an exact, case-sensitive dictionary lookup
        // (xpc_dictionary_get_dictionary in sec_protocol_configuration_find_exception_for_host); host names arrive in lower case.
        if (domain.Any(char.IsUpper))
            return $"it is not lower-case: iOS looks exception keys up exactly as written and host names arrive in lower case (write \"{domain.ToLowerInvariant()}\")";
        return null;
    }

    private void Issue(string ruleId, string keyPath, string? domain, string evidence, string message) =>
        _issues.Add(new ConfigIssue(ruleId, keyPath, domain, evidence, message));
}

/// <summary>Which loading path a query is about: ATS has separate switches for web views and AV Foundation.</summary>
public enum AtsTraffic
{
    UrlSession,
    WebContent,
    Media,
}
