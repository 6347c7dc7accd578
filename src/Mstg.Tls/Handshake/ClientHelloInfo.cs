namespace Mstg.Tls;

/// <summary>What a client offered in its ClientHello, GREASE values (RFC 8701) already removed.</summary>
public sealed record ClientHelloInfo(
    ushort RecordVersion,
    ushort LegacyVersion,
    string? ServerName,
    IReadOnlyList<ushort> SupportedVersions,
    IReadOnlyList<ushort> CipherSuites,
    IReadOnlyList<ushort> SupportedGroups,
    IReadOnlyList<ushort> SignatureAlgorithms,
    IReadOnlyList<string> Alpn,
    IReadOnlyList<ushort> ExtensionTypes,
    int Length)
{
    /// <summary>Every version the client is willing to speak: supported_versions when present, else legacy_version.</summary>
    public IReadOnlyList<string> OfferedVersionNames =>
        (SupportedVersions.Count > 0 ? SupportedVersions : [LegacyVersion]).Select(TlsNames.Version).ToList();

    public string HighestVersionName =>
        TlsNames.Version(SupportedVersions.Count > 0 ? SupportedVersions.Max() : LegacyVersion);
}
