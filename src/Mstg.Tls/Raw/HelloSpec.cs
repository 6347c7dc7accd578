namespace Mstg.Tls.Raw;

/// <summary>
/// Everything a probing ClientHello offers. <see cref="Version"/> is the protocol asked for: SSL 3.0 to TLS 1.2 go in
/// legacy_version; TLS 1.3 is asked for through supported_versions with legacy_version 1.2, as RFC 8446 requires.
/// </summary>
public sealed record HelloSpec
{
    public required ushort Version { get; init; }
    public required IReadOnlyList<ushort> CipherSuites { get; init; }
    public IReadOnlyList<ushort> Groups { get; init; } = TlsCatalog.AllGroups;
    public IReadOnlyList<ushort> SignatureAlgorithms { get; init; } = TlsCatalog.AllSignatureAlgorithms;
    public string? ServerName { get; init; }
    public IReadOnlyList<string> Alpn { get; init; } = [];

    /// <summary>TLS 1.3 key shares to send. Only x25519 is sent with real bytes; an empty list makes a server that
    /// accepts one of <see cref="Groups"/> answer with a HelloRetryRequest naming the group it wants.</summary>
    public IReadOnlyList<ushort> KeyShares { get; init; } = [TlsCatalog.X25519];

    /// <summary>Ask for a stapled OCSP response (status_request) and for SCTs (signed_certificate_timestamp).</summary>
    public bool RequestStatus { get; init; } = true;
}
