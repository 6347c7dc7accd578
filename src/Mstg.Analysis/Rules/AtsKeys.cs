namespace Mstg.Analysis.Rules;

/// <summary>
/// The key names Apple defines for <c>NSAppTransportSecurity</c> (Information Property List reference) and the
/// undocumented pre-iOS 9 GM spellings that still take effect. Anything else inside the ATS dictionary is a key
/// iOS ignores.
/// </summary>
public static class AtsKeys
{
    public const string Root = "NSAppTransportSecurity";

    public const string AllowsArbitraryLoads = "NSAllowsArbitraryLoads";
    public const string AllowsArbitraryLoadsForMedia = "NSAllowsArbitraryLoadsForMedia";
    public const string AllowsArbitraryLoadsInWebContent = "NSAllowsArbitraryLoadsInWebContent";
    public const string AllowsLocalNetworking = "NSAllowsLocalNetworking";
    public const string ExceptionDomains = "NSExceptionDomains";
    public const string PinnedDomains = "NSPinnedDomains";

    public const string IncludesSubdomains = "NSIncludesSubdomains";
    public const string ExceptionAllowsInsecureHttpLoads = "NSExceptionAllowsInsecureHTTPLoads";
    public const string ExceptionMinimumTlsVersion = "NSExceptionMinimumTLSVersion";
    public const string ExceptionRequiresForwardSecrecy = "NSExceptionRequiresForwardSecrecy";
    public const string RequiresCertificateTransparency = "NSRequiresCertificateTransparency";

    public const string PinnedCaIdentities = "NSPinnedCAIdentities";
    public const string PinnedLeafIdentities = "NSPinnedLeafIdentities";
    public const string SpkiSha256Base64 = "SPKI-SHA256-BASE64";

    /// <summary>Keys valid directly inside <c>NSAppTransportSecurity</c>.</summary>
    public static readonly IReadOnlySet<string> Global = new HashSet<string>(StringComparer.Ordinal)
    {
        AllowsArbitraryLoads, AllowsArbitraryLoadsForMedia, AllowsArbitraryLoadsInWebContent,
        AllowsLocalNetworking, ExceptionDomains, PinnedDomains,
    };

    /// <summary>
    /// On iOS 10+ / macOS 10.12+ the presence of any of these keys makes ATS ignore <c>NSAllowsArbitraryLoads</c>
    /// (Apple, NSAllowsArbitraryLoadsInWebContent: "if you include this key with any value"). "Present" means a value
    /// Apple's reader accepts, a Boolean or number; a string is ignored as if absent (SecProtocolConfiguration.m).
    /// </summary>
    public static readonly IReadOnlyList<string> ArbitraryLoadsOverriders =
        [AllowsArbitraryLoadsInWebContent, AllowsArbitraryLoadsForMedia, AllowsLocalNetworking];

    /// <summary>Modern keys valid inside one <c>NSExceptionDomains</c> entry.</summary>
    public static readonly IReadOnlySet<string> Domain = new HashSet<string>(StringComparer.Ordinal)
    {
        IncludesSubdomains, ExceptionAllowsInsecureHttpLoads, ExceptionMinimumTlsVersion,
        ExceptionRequiresForwardSecrecy, RequiresCertificateTransparency,
    };

    /// <summary>
    /// Pre-iOS 9 GM names and the modern key each one is evaluated as. Apple no longer documents them, yet
    /// CFNetwork still honours them (MASTG-KNOW-0071), so they weaken ATS exactly like their twin.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LegacyTwins = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NSTemporaryExceptionAllowsInsecureHTTPLoads"] = ExceptionAllowsInsecureHttpLoads,
        ["NSTemporaryExceptionMinimumTLSVersion"] = ExceptionMinimumTlsVersion,
        ["NSTemporaryExceptionRequiresForwardSecrecy"] = ExceptionRequiresForwardSecrecy,
        ["NSThirdPartyExceptionAllowsInsecureHTTPLoads"] = ExceptionAllowsInsecureHttpLoads,
        ["NSThirdPartyExceptionMinimumTLSVersion"] = ExceptionMinimumTlsVersion,
        ["NSThirdPartyExceptionRequiresForwardSecrecy"] = ExceptionRequiresForwardSecrecy,
    };

    /// <summary>The modern key and its legacy twins, modern first.</summary>
    public static IReadOnlyList<string> WithTwins(string modernKey) =>
        [modernKey, .. LegacyTwins.Where(p => p.Value == modernKey).Select(p => p.Key)];

    /// <summary>Keys valid inside one <c>NSPinnedDomains</c> entry.</summary>
    public static readonly IReadOnlySet<string> PinnedDomain = new HashSet<string>(StringComparer.Ordinal)
    {
        IncludesSubdomains, PinnedCaIdentities, PinnedLeafIdentities,
    };

    /// <summary>Names seen in the wild (MASTG-DEMO-0083, public gists, forum posts) that are too far from the real key for an edit-distance match.</summary>
    private static readonly Dictionary<string, string> KnownConfusions = new(StringComparer.Ordinal)
    {
        ["NSAllowsArbitraryLoadsForLocalNetworking"] = AllowsLocalNetworking,
        ["NSExceptionAllowsLocalNetworking"] = AllowsLocalNetworking,
        ["NSAllowsArbitraryLoadsInMedia"] = AllowsArbitraryLoadsForMedia,
        ["NSAllowsArbitraryLoadsForWebContent"] = AllowsArbitraryLoadsInWebContent,
        ["NSTemporaryExceptionRequiresCertificateTransparency"] = RequiresCertificateTransparency,
    };

    /// <summary>
    /// A known key the unknown one most likely meant: same spelling ignoring case, or at most two edits away.
    /// Null when nothing is close (for example MASTG-DEMO-0083's <c>NSAllowsArbitraryLoadsForLocalNetworking</c>).
    /// </summary>
    public static string? Suggest(string unknown, IEnumerable<string> known)
    {
        if (KnownConfusions.TryGetValue(unknown, out var meant)) return meant;
        if (unknown.Length > 100) return null; // no real key is that long; keeps hostile input cheap
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            if (string.Equals(candidate, unknown, StringComparison.OrdinalIgnoreCase)) return candidate;
            var d = EditDistance(unknown, candidate);
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        return bestDistance <= 2 ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
