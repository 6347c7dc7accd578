namespace Mstg;

/// <summary>
/// Every rule id a finding can carry, static (<c>mstg scan</c>), dynamic (the proxy suites) and server (<c>mstg tls</c>),
/// with its requirement mapping. docs/rules.md documents the same table, one section per kind; a test keeps the two in step.
/// The requirements themselves (titles, MASVS controls, levels, categories) are in <see cref="RequirementTable"/>.
/// </summary>
public static class RuleCatalog
{
    private const string N1 = "MSTG-NETWORK-1", N2 = "MSTG-NETWORK-2", N3 = "MSTG-NETWORK-3",
        N4 = "MSTG-NETWORK-4", N5 = "MSTG-NETWORK-5", N6 = "MSTG-NETWORK-6";
    private const string M1 = "MASVS-NETWORK-1", M2 = "MASVS-NETWORK-2";
    private const string Apple = "Apple, NSAppTransportSecurity key reference";
    private const string AppleServer = "Apple, \"Preventing Insecure Network Connections\" (ATS server requirements)";

    /// <summary>
    /// Rules that switch ATS off for some traffic also remove its TLS 1.2 floor and forward-secrecy requirement, so they
    /// count under MSTG-NETWORK-2 as well (docs/rules.md, "Rules counting under more than one requirement").
    /// </summary>
    private static readonly string[] TlsFloorGone = [N2];

    public const string AtsArbitraryLoads = "ATS-ARBITRARY-LOADS";
    public const string AtsArbitraryLoadsIgnored = "ATS-ARBITRARY-LOADS-IGNORED";
    public const string AtsArbitraryLoadsWebContent = "ATS-ARBITRARY-LOADS-WEB-CONTENT";
    public const string AtsArbitraryLoadsMedia = "ATS-ARBITRARY-LOADS-MEDIA";
    public const string AtsLocalNetworking = "ATS-LOCAL-NETWORKING";
    public const string AtsDomainInsecureHttp = "ATS-DOMAIN-INSECURE-HTTP";
    public const string AtsDomainWeakTls = "ATS-DOMAIN-WEAK-TLS";
    public const string AtsDomainNoForwardSecrecy = "ATS-DOMAIN-NO-FORWARD-SECRECY";
    public const string AtsDomainSubdomains = "ATS-DOMAIN-SUBDOMAINS";
    public const string AtsLegacyKey = "ATS-LEGACY-KEY";
    public const string AtsUnknownKey = "ATS-UNKNOWN-KEY";
    public const string AtsInvalidValue = "ATS-INVALID-VALUE";
    public const string AtsUnresolvedVariable = "ATS-UNRESOLVED-VARIABLE";
    public const string AtsDisabledOldSdk = "ATS-DISABLED-OLD-SDK";
    public const string PinNone = "PIN-NONE";
    public const string PinDomainNotPinned = "PIN-DOMAIN-NOT-PINNED";
    public const string PinInvalidHash = "PIN-INVALID-HASH";
    public const string PinNoBackup = "PIN-NO-BACKUP";
    public const string PinAtsUnsupportedOs = "PIN-ATS-UNSUPPORTED-OS";
    public const string PinTrustKitNotEnforced = "PIN-TRUSTKIT-NOT-ENFORCED";
    public const string PinTrustKitExpired = "PIN-TRUSTKIT-EXPIRED";
    public const string BinCleartextUrl = "BIN-CLEARTEXT-URL";
    public const string BinLocalUrl = "BIN-LOCAL-URL";
    public const string BinLowLevelNetworking = "BIN-LOW-LEVEL-NETWORKING";
    public const string BinTrustBypass = "BIN-TRUST-BYPASS";
    public const string BinWeakTlsMinimum = "BIN-WEAK-TLS-MINIMUM";
    public const string BinEmbeddedTlsLibrary = "BIN-EMBEDDED-TLS-LIBRARY";
    public const string BinEncrypted = "BIN-ENCRYPTED";
    public const string BundleClientCertificate = "BUNDLE-CLIENT-CERTIFICATE";
    public const string BundleCertificate = "BUNDLE-CERTIFICATE";
    public const string LibInventory = "LIB-INVENTORY";
    public const string LibVulnerable = "LIB-VULNERABLE";
    public const string LibDeprecated = "LIB-DEPRECATED";
    public const string ChannelSmsEmail = "CHANNEL-SMS-EMAIL";

    // Dynamic: what the app did through the interception proxy, one rule per condition family (docs/rules.md, "Dynamic rules").
    public const string DynCleartextTraffic = "DYN-CLEARTEXT-TRAFFIC";
    public const string DynLegacyTlsOffered = "DYN-LEGACY-TLS-OFFERED";
    public const string DynAcceptsWeakTls = "DYN-ACCEPTS-WEAK-TLS";
    public const string DynAcceptsInvalidCert = "DYN-ACCEPTS-INVALID-CERT";
    public const string DynNotPinned = "DYN-NOT-PINNED";
    public const string DynCleartextUrlConfirmed = "DYN-CLEARTEXT-URL-CONFIRMED";

    // Server: what the app's endpoints accept and serve, and how that fits the app's ATS exceptions and pins (issue 12).
    public const string ServerTlsLegacyVersion = "SERVER-TLS-LEGACY-VERSION";
    public const string ServerNoForwardSecrecy = "SERVER-NO-FORWARD-SECRECY";
    public const string ServerWeakCipher = "SERVER-WEAK-CIPHER";
    public const string ServerWeakKey = "SERVER-WEAK-KEY";
    public const string ServerWeakSignature = "SERVER-WEAK-SIGNATURE";
    public const string ServerCertExpired = "SERVER-CERT-EXPIRED";
    public const string ServerCertHostname = "SERVER-CERT-HOSTNAME";
    public const string ServerCertUntrusted = "SERVER-CERT-UNTRUSTED";
    public const string ServerCertLifetime = "SERVER-CERT-LIFETIME";
    public const string ServerChainIncomplete = "SERVER-CHAIN-INCOMPLETE";
    public const string ServerAtsFail = "SERVER-ATS-FAIL";
    /// <summary>The endpoint could not be probed (does not resolve, refused, not TLS, broken answers): Skipped, never a pass.</summary>
    public const string ServerProbeFailed = "SERVER-PROBE-FAILED";
    public const string AtsExceptionUnnecessary = "ATS-EXCEPTION-UNNECESSARY";
    public const string PinNoMatch = "PIN-NO-MATCH";

    private static readonly RuleDescriptor[] All =
    [
        new(AtsArbitraryLoads, RuleFamily.Ats, "ATS disabled globally", Verdict.Fail, Severity.High, N1, M1,
            ["MASTG-TEST-0322", "MASTG-TEST-0342"],
            "NSAllowsArbitraryLoads turns ATS off for every domain without its own exception, allowing cleartext and weak TLS.", Apple)
        { AlsoCounts = TlsFloorGone },
        new(AtsArbitraryLoadsIgnored, RuleFamily.Ats, "NSAllowsArbitraryLoads set but ignored", Verdict.Warn, Severity.Medium, N1, M1,
            ["MASTG-TEST-0322"],
            "On iOS 10+ the presence of NSAllowsArbitraryLoadsInWebContent, ForMedia or NSAllowsLocalNetworking makes the system ignore NSAllowsArbitraryLoads; older systems still honour it.", Apple)
        { AlsoCounts = TlsFloorGone },
        new(AtsArbitraryLoadsWebContent, RuleFamily.Ats, "ATS disabled for web views", Verdict.Fail, Severity.High, N1, M1,
            ["MASTG-TEST-0322"], "Web content loaded in WKWebView may use cleartext and weak TLS.", Apple)
        { AlsoCounts = TlsFloorGone },
        new(AtsArbitraryLoadsMedia, RuleFamily.Ats, "ATS disabled for AV Foundation media", Verdict.Fail, Severity.High, N1, M1,
            ["MASTG-TEST-0322"], "Media loaded through AV Foundation may use cleartext or TLS below 1.2.", Apple)
        { AlsoCounts = TlsFloorGone },
        new(AtsLocalNetworking, RuleFamily.Ats, "Local networking allowed without ATS", Verdict.Warn, Severity.Low, N1, M1,
            ["MASTG-TEST-0322"], "Unqualified and .local hosts may be reached over cleartext; acceptable only for genuine LAN features.", Apple)
        { AlsoCounts = TlsFloorGone },
        new(AtsDomainInsecureHttp, RuleFamily.Ats, "Domain allows cleartext HTTP", Verdict.Fail, Severity.High, N1, M1,
            ["MASTG-TEST-0322"], "NSExceptionAllowsInsecureHTTPLoads (or a legacy twin) lets the app talk to the domain without TLS.", Apple),
        new(AtsDomainWeakTls, RuleFamily.Ats, "Domain accepts TLS 1.0/1.1", Verdict.Fail, Severity.High, N2, M1,
            ["MASTG-TEST-0342", "MASTG-TEST-0066"], "TLS 1.0 and 1.1 are deprecated; ATS requires 1.2 unless an exception lowers it.", Apple),
        new(AtsDomainNoForwardSecrecy, RuleFamily.Ats, "Domain does not require forward secrecy", Verdict.Fail, Severity.Medium, N2, M1,
            ["MASTG-TEST-0342"], "Static RSA key exchange lets a later key compromise decrypt recorded traffic.", Apple),
        new(AtsDomainSubdomains, RuleFamily.Ats, "Weakening exception covers all subdomains", Verdict.Warn, Severity.Low, N1, M1,
            ["MASTG-TEST-0342"], "NSIncludesSubdomains widens a weakening exception to every subdomain, present and future.", Apple),
        new(AtsLegacyKey, RuleFamily.Ats, "Legacy NSTemporaryException/NSThirdPartyException key", Verdict.Warn, Severity.Low, N1, M1,
            ["MASTG-TEST-0322"], "Undocumented pre-iOS 9 GM keys still take effect as their modern twins; rename them so reviews see them.", "MASTG-KNOW-0071"),
        new(AtsUnknownKey, RuleFamily.Ats, "Key not defined by Apple", Verdict.Warn, Severity.Low, N1, M1,
            [], "iOS ignores keys it does not define, so a misspelt exception silently has no effect (or a misspelt hardening key none either).", Apple),
        new(AtsInvalidValue, RuleFamily.Ats, "Wrong type or value for an ATS key", Verdict.Warn, Severity.Low, N1, M1,
            [], "iOS reads a wrongly typed value its own way (for example a string as false); the verdict states how it was evaluated.", Apple),
        new(AtsUnresolvedVariable, RuleFamily.Ats, "Unresolved build variable in an ATS value", Verdict.Warn, Severity.Low, N1, M1,
            [], "A $(VAR) left in a shipped plist means the value seen by iOS is not the one the developer intended.", "Xcode build settings"),
        new(AtsDisabledOldSdk, RuleFamily.Ats, "Built against an SDK older than iOS 9", Verdict.Fail, Severity.High, N3, M1,
            ["MASTG-TEST-0067"], "Apps linked against SDKs before iOS 9 get no ATS at all, whatever the OS version.", "MASTG-TEST-0067")
        { AlsoCounts = [N1, N2] },
        new(PinNone, RuleFamily.Pinning, "No certificate pinning evidence", Verdict.Fail, Severity.Medium, N4, M2,
            ["MASTG-TEST-0385", "MASTG-TEST-0068"], "MASVS-NETWORK-2 (L2) requires identity pinning for endpoints under the developer's control.", "MASTG-TEST-0385"),
        new(PinDomainNotPinned, RuleFamily.Pinning, "First-party domain used but not pinned", Verdict.Fail, Severity.Medium, N4, M2,
            ["MASTG-TEST-0385"], "Every first-party domain the app talks to needs a pin; one unpinned endpoint is enough to intercept the session.", "MASTG-TEST-0385"),
        new(PinInvalidHash, RuleFamily.Pinning, "Malformed pin", Verdict.Fail, Severity.High, N4, M2,
            ["MASTG-TEST-0385"], "A pin that is not base64 of a 32-byte SHA-256 can never match: a list with no usable pin is a fail; a bad entry beside a usable pin is skipped by iOS and is a warning.", "Apple Security, SecPolicy.c parseNSPinnedDomains; TrustKit"),
        new(PinNoBackup, RuleFamily.Pinning, "Pinned domain without a backup pin", Verdict.Warn, Severity.Low, N4, M2,
            ["MASTG-TEST-0385"], "With a single pin a key rotation bricks the app; Apple and TrustKit recommend a backup pin.", "MASTG-KNOW-0072"),
        new(PinAtsUnsupportedOs, RuleFamily.Pinning, "NSPinnedDomains ignored on supported OS versions", Verdict.Warn, Severity.Medium, N4, M2,
            ["MASTG-TEST-0385"], "NSPinnedDomains exists from iOS 14 / macOS 11; when it is the only pinning and the deployment target is lower, older devices connect unpinned.", "Apple, NSPinnedDomains"),
        new(PinTrustKitNotEnforced, RuleFamily.Pinning, "TrustKit pinning not enforced", Verdict.Fail, Severity.Medium, N4, M2,
            ["MASTG-TEST-0068"], "TSKEnforcePinning false only reports pin failures; connections still succeed, so report-only pinning is no pinning at L2.", "TrustKit configuration keys"),
        new(PinTrustKitExpired, RuleFamily.Pinning, "TrustKit pins expired", Verdict.Fail, Severity.Medium, N4, M2,
            ["MASTG-TEST-0068"], "Past TSKExpirationDate TrustKit stops enforcing the pins, so expired pinning is no pinning at L2.", "TrustKit configuration keys"),
        new(BinCleartextUrl, RuleFamily.Binary, "Cleartext http:// URL", Verdict.Warn, Severity.Medium, N1, M1,
            ["MASTG-TEST-0321"], "A hard-coded http:// URL is a candidate for cleartext traffic; confirm its use dynamically.", "MASTG-TEST-0321"),
        new(BinLocalUrl, RuleFamily.Binary, "URL to an IP address, unqualified or .local host", Verdict.Info, Severity.Info, N1, M1,
            ["MASTG-TEST-0321"], "ATS does not protect unqualified names, .local hosts or private/loopback IP addresses; below iOS 17 it does not protect any IP address.", "MASTG-KNOW-0071; Apple, NSAllowsLocalNetworking"),
        new(BinLowLevelNetworking, RuleFamily.Binary, "Low-level networking outside ATS", Verdict.Warn, Severity.Medium, N1, M1,
            ["MASTG-TEST-0323"], "Network.framework, CFNetwork sockets and BSD sockets are not covered by ATS; their TLS use must be reviewed.", "MASTG-TEST-0323"),
        new(BinTrustBypass, RuleFamily.Binary, "Server trust evaluation bypassed", Verdict.Fail, Severity.Critical, N3, M1,
            ["MASTG-TEST-0396", "MASTG-TEST-0397"], "An authentication-challenge handler or API that accepts any certificate defeats TLS.", "MASTG-TEST-0396/0397"),
        new(BinWeakTlsMinimum, RuleFamily.Binary, "TLS 1.0/1.1 set as minimum in code", Verdict.Fail, Severity.High, N2, M1,
            ["MASTG-TEST-0343", "MASTG-TEST-0344"], "Lowering the minimum TLS version in URLSession or Network.framework allows deprecated protocols.", "MASTG-TEST-0343/0344"),
        new(BinEmbeddedTlsLibrary, RuleFamily.Binary, "Embedded TLS library", Verdict.Info, Severity.Info, N2, M1,
            ["MASTG-TEST-0345"], "OpenSSL, BoringSSL, mbedTLS or libcurl inside the app bypass ATS; their configuration needs review.", "MASTG-TEST-0345"),
        new(BinEncrypted, RuleFamily.Binary, "Encrypted binary", Verdict.Warn, Severity.Low, N1, M1,
            [], "A FairPlay-encrypted binary cannot be read; binary rules are skipped, not passed. Scan a decrypted build.", "Mach-O LC_ENCRYPTION_INFO"),
        // A shipped client identity is first a private key stored in the package: MASVS maps that to MASVS-CRYPTO-2 (key
        // management; MASWE-0013 hard-coded keys, MASWE-0014 keys not protected at rest). It also weakens the mTLS
        // channel (MASTG-TEST-0068), so it stays listed under MSTG-NETWORK-4 and should also count under MASVS-NETWORK-2.
        new(BundleClientCertificate, RuleFamily.Bundle, "Client certificate shipped in the bundle", Verdict.Warn, Severity.Medium, N4, "MASVS-CRYPTO-2",
            ["MASTG-TEST-0068"], "A .p12/.pfx in the bundle is a private key shared by every install, usually with a hard-coded password: a key-storage flaw (MASVS-CRYPTO-2) that also defeats mTLS.", "MASTG-TEST-0068; MASWE-0013, MASWE-0014"),
        new(BundleCertificate, RuleFamily.Bundle, "Certificate shipped in the bundle", Verdict.Info, Severity.Info, N4, M2,
            ["MASTG-TEST-0068"], "Bundled .cer/.der/.pem files are evidence of custom trust or pinning.", "MASTG-TEST-0068"),
        new(LibInventory, RuleFamily.Library, "Networking or TLS library", Verdict.Info, Severity.Info, N6, M1,
            [], "Inventory of networking libraries, with version and how it was found, for MSTG-NETWORK-6.", "MASVS-CODE-3"),
        new(LibVulnerable, RuleFamily.Library, "Library version with a known advisory", Verdict.Fail, Severity.High, N6, M1,
            [], "A networking or TLS library version with a published advisory (CVE from NVD or the maintainers).", "advisories data file"),
        new(LibDeprecated, RuleFamily.Library, "Unmaintained networking library", Verdict.Warn, Severity.Medium, N6, M1,
            [], "An unmaintained library receives no security fixes.", "maintainers' announcements"),
        new(ChannelSmsEmail, RuleFamily.Channel, "SMS or e-mail channel in use", Verdict.Info, Severity.Info, N5, "MASVS-AUTH-3",
            [], "Evidence for the manual MSTG-NETWORK-5 review: critical operations must not rely on SMS or e-mail alone.", "MSTG-NETWORK-5"),

        new(DynCleartextTraffic, RuleFamily.Traffic, "App sent traffic without TLS", Verdict.Fail, Severity.High, N1, M1,
            ["MASTG-TEST-0065", "MASTG-TEST-0236"], "Plain HTTP (or any non-TLS stream) to a host was seen at the proxy: whatever the plist says, the data crossed the network readable and changeable.", "MASTG-TEST-0236"),
        new(DynCleartextUrlConfirmed, RuleFamily.Traffic, "Hard-coded http:// URL confirmed in traffic", Verdict.Fail, Severity.High, N1, M1,
            ["MASTG-TEST-0065", "MASTG-TEST-0236"], "A cleartext URL the static analysis found (BIN-CLEARTEXT-URL) was sent in cleartext during the scenario (fail), or was not seen during it (info: cleared for that scenario only).", "MASTG-TEST-0236"),
        new(DynLegacyTlsOffered, RuleFamily.Traffic, "App offered TLS below 1.2 or no forward secrecy", Verdict.Warn, Severity.Medium, N2, M1,
            ["MASTG-TEST-0066", "MASTG-TEST-0348"], "The ClientHello the app sent allows TLS 1.0/1.1 or static RSA key exchange; a server or attacker that picks them gets them.", "MASTG-TEST-0348"),
        new(DynAcceptsWeakTls, RuleFamily.Traffic, "App completed a handshake under a weak TLS condition", Verdict.Fail, Severity.High, N2, M1,
            ["MASTG-TEST-0066", "MASTG-TEST-0348"], "Under the tls10-only, tls11-only, no-forward-secrecy, weak-key or sha1-signature condition an app that follows ATS must refuse the handshake; this one sent data.", "MASTG-TEST-0348; Apple ATS requirements"),
        new(DynAcceptsInvalidCert, RuleFamily.Traffic, "App accepted an invalid certificate", Verdict.Fail, Severity.Critical, N3, M1,
            ["MASTG-TEST-0067"], "Under the untrusted-ca, self-signed, wrong-host or expired condition the app completed the handshake and sent data: anyone on the path can read and change its traffic.", "MASTG-TEST-0067"),
        new(DynNotPinned, RuleFamily.Traffic, "App accepted a trusted but unpinned certificate", Verdict.Fail, Severity.Medium, N4, M2,
            ["MASTG-TEST-0068", "MASTG-TEST-0244"], "Under the trusted-ca condition (the proxy's CA installed on the device) a pinning app must refuse first-party hosts; this one sent data, so a CA in the trust store is enough to intercept it.", "MASTG-TEST-0244"),

        // Server rules count under MSTG-NETWORK-2 (the TLS the app gets is best practice): a certificate problem on the
        // server is a server configuration problem, while MSTG-NETWORK-3 asks whether the app validates certificates,
        // which probing the server cannot tell. Default verdicts and severities are the ones ServerFindings emits.
        new(ServerTlsLegacyVersion, RuleFamily.Server, "Endpoint accepts SSL 3.0, TLS 1.0 or TLS 1.1", Verdict.Fail, Severity.Medium, N2, M1,
            ["MASTG-TEST-0066"], "Deprecated protocol versions (RFC 8996) stay reachable for any client that offers them; ATS needs an NSExceptionMinimumTLSVersion exception to use them, and TLS 1.3 downgrade protection keeps modern clients off them.", AppleServer),
        new(ServerNoForwardSecrecy, RuleFamily.Server, "Endpoint negotiates cipher suites without forward secrecy", Verdict.Fail, Severity.Medium, N2, M1,
            ["MASTG-TEST-0066"], "With static RSA key exchange a later compromise of the server key decrypts recorded traffic; ATS requires ECDHE unless NSExceptionRequiresForwardSecrecy is false.", AppleServer),
        new(ServerWeakCipher, RuleFamily.Server, "Endpoint accepts a weak cipher suite", Verdict.Fail, Severity.High, N2, M1,
            ["MASTG-TEST-0066"], "NULL, export, RC4, DES and 3DES suites give an attacker a way in for any client that offers them (fail); CBC suites with SHA-1 MACs are obsolete (warn, low).", "Apple ATS cipher list; testssl.sh"),
        new(ServerWeakKey, RuleFamily.Server, "Server certificate key too small", Verdict.Fail, Severity.High, N2, M1,
            ["MASTG-TEST-0066"], "ATS requires an RSA key of at least 2048 bits or an ECC key of at least 256 bits in the server certificate.", AppleServer),
        new(ServerWeakSignature, RuleFamily.Server, "Certificate signed with SHA-1 or MD5", Verdict.Fail, Severity.High, N2, M1,
            ["MASTG-TEST-0066"], "ATS requires SHA-256 or stronger certificate signatures; SHA-1 and MD5 collisions are practical.", AppleServer),
        new(ServerCertExpired, RuleFamily.Server, "Server certificate expired or not yet valid", Verdict.Fail, Severity.High, N2, M1,
            ["MASTG-TEST-0066"], "A client that validates certificates refuses the endpoint; one that connects anyway does not check identity.", "RFC 5280 §4.1.2.5"),
        new(ServerCertHostname, RuleFamily.Server, "Server certificate does not name the host", Verdict.Fail, Severity.High, N2, M1,
            ["MASTG-TEST-0066"], "No subjectAltName matches the host (wildcards cover one label); a validating client refuses the endpoint.", "RFC 6125; RFC 9525"),
        new(ServerCertUntrusted, RuleFamily.Server, "Server certificate chain not trusted", Verdict.Fail, Severity.High, N2, M1,
            ["MASTG-TEST-0066"], "The chain does not lead to a trusted root (self-signed, private CA) in the trust store used; the app can only connect by weakening trust evaluation.", "RFC 5280 §6"),
        new(ServerCertLifetime, RuleFamily.Server, "Server certificate valid for too long", Verdict.Warn, Severity.Medium, N2, M1,
            [], "Apple platforms refuse publicly trusted server certificates valid for more than 398 days (warn: the prober cannot always tell a public CA from a private one) and any valid for more than 825 days (fail).", "Apple, \"About upcoming limits on trusted certificates\" (HT211025)"),
        new(ServerChainIncomplete, RuleFamily.Server, "Server does not send its intermediate certificates", Verdict.Fail, Severity.Medium, N2, M1,
            [], "Clients that do not fetch missing intermediates (most TLS libraries, and the ATS model here) fail to build the chain, so the endpoint works on some devices only.", "RFC 8446 §4.4.2"),
        new(ServerAtsFail, RuleFamily.Server, "Endpoint fails App Transport Security", Verdict.Fail, Severity.High, N2, M1,
            ["MASTG-TEST-0066"], "An app with default ATS cannot connect; the exception keys it would need (the nscurl --ats-diagnostics matrix) say what to fix on the server.", AppleServer),
        new(ServerProbeFailed, RuleFamily.Server, "Endpoint could not be probed", Verdict.Skipped, Severity.Info, N2, M1,
            [], "The host did not resolve, refused, did not speak TLS or answered in a way the prober could not read: its checks did not run, which is never a pass.", "mstg tls"),
        new(AtsExceptionUnnecessary, RuleFamily.Server, "ATS exception the server does not need", Verdict.Warn, Severity.Low, N1, M1,
            ["MASTG-TEST-0322", "MASTG-TEST-0342"], "The app's plist weakens ATS for a domain whose server passes default ATS: remove the exception.", Apple)
        { AlsoCounts = TlsFloorGone },
        new(PinNoMatch, RuleFamily.Server, "Pins match nothing the server serves", Verdict.Fail, Severity.High, N4, M2,
            ["MASTG-TEST-0385"], "None of the domain's pins matches a key of the served chain: pinning clients cannot connect (or the pins are stale and will break at the next rotation).", "Apple, NSPinnedDomains; TrustKit"),
    ];

    private static readonly Dictionary<string, RuleDescriptor> ById = All.ToDictionary(r => r.Id, StringComparer.Ordinal);

    public static IReadOnlyList<RuleDescriptor> Rules => All;

    /// <summary>The rules of one kind, in catalogue order.</summary>
    public static IReadOnlyList<RuleDescriptor> OfKind(CheckKind kind) => All.Where(r => r.Kind == kind).ToList();

    public static RuleDescriptor Get(string id) =>
        ById.TryGetValue(id, out var rule) ? rule : throw new KeyNotFoundException($"Unknown rule id '{id}'.");

    public static bool TryGet(string id, out RuleDescriptor? rule) => ById.TryGetValue(id, out rule);

    /// <summary>
    /// The rules of <paramref name="family"/> whose findings count under <paramref name="requirement"/> (primary or
    /// <see cref="RuleDescriptor.AlsoCounts"/>): what one suite test looks at.
    /// </summary>
    public static IReadOnlyList<RuleDescriptor> For(string requirement, RuleFamily family) =>
        All.Where(r => r.Family == family && r.CountsUnder(requirement)).ToList();
}
