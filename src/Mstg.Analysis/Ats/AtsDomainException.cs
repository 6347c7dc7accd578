namespace Mstg.Analysis.Ats;

/// <summary>Which plist key decided a setting, for evidence (<c>NSTemporaryExceptionMinimumTLSVersion = "TLSv1.0"</c>).</summary>
public sealed record SettingOrigin(string Key, string KeyPath, string Evidence);

/// <summary>
/// The effective ATS policy of one <c>NSExceptionDomains</c> entry, with legacy keys folded into their modern
/// twins. An entry replaces the global policy for the hosts it covers: an empty dictionary therefore means
/// "ATS defaults here", even when NSAllowsArbitraryLoads is on for everything else.
/// </summary>
public sealed record AtsDomainException
{
    /// <summary>The key as written in the plist.</summary>
    public required string Domain { get; init; }

    /// <summary>Key path of the entry (<c>NSAppTransportSecurity/NSExceptionDomains/example.com</c>).</summary>
    public required string KeyPath { get; init; }

    public bool IncludesSubdomains { get; init; }
    public bool AllowsInsecureHttpLoads { get; init; }
    public TlsVersion MinimumTls { get; init; } = TlsVersions.AtsDefault;
    public bool RequiresForwardSecrecy { get; init; } = true;
    public bool RequiresCertificateTransparency { get; init; }

    public SettingOrigin? IncludesSubdomainsOrigin { get; init; }
    public SettingOrigin? InsecureHttpOrigin { get; init; }
    public SettingOrigin? MinimumTlsOrigin { get; init; }
    public SettingOrigin? ForwardSecrecyOrigin { get; init; }

    /// <summary>Why the key can never match a host (scheme, port, path, wildcard …), or null when it can.</summary>
    public string? NoMatchReason { get; init; }

    /// <summary>The domain key still holds a build variable such as <c>$(API_HOST)</c>.</summary>
    public bool HasUnresolvedVariable { get; init; }

    /// <summary>Lowers any ATS requirement below the default.</summary>
    public bool IsWeakening => AllowsInsecureHttpLoads || MinimumTls.IsDeprecated() || !RequiresForwardSecrecy;

    /// <summary>Orders entries from weakest to strongest; used when two entries match the same host.</summary>
    internal int Weakness => (AllowsInsecureHttpLoads ? 100 : 0) + (13 - (int)MinimumTls) * 10 + (RequiresForwardSecrecy ? 0 : 1);
}
