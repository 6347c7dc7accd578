using Mstg.Tls;

namespace Mstg.ServerTls;

/// <summary>Whether and how an endpoint could be probed at all.</summary>
public enum ProbeStatus
{
    /// <summary>The server speaks TLS; the report holds what it accepts.</summary>
    Probed,
    /// <summary>The host name does not resolve.</summary>
    DoesNotResolve,
    /// <summary>The connection was refused or could not be made in time.</summary>
    Unreachable,
    /// <summary>Something answers, but not with TLS.</summary>
    NotTls,
    /// <summary>The server answered every ClientHello with an alert or by closing: no TLS version was accepted.</summary>
    NoTlsAccepted,
    /// <summary>The server's answers broke the protocol (malformed, oversized or never finished).</summary>
    Broken,
}

/// <summary>What one protocol version accepts.</summary>
public sealed record ProtocolResult
{
    public required ushort Version { get; init; }
    public required bool Accepted { get; init; }
    /// <summary>Accepted suites; in the server's order of preference when <see cref="ServerPreference"/> is true, else in the order found.</summary>
    public IReadOnlyList<CipherSuiteInfo> Suites { get; init; } = [];
    /// <summary>True when the server picks by its own order, false when it follows the client's, null when it could not be told (fewer than two suites).</summary>
    public bool? ServerPreference { get; init; }
    /// <summary>How the refusal looked (an alert name, a closed connection), for versions not accepted.</summary>
    public string? Refusal { get; init; }
    public string Name => TlsNames.Version(Version);
}

/// <summary>One certificate as served.</summary>
public sealed record CertificateReport
{
    public required string Subject { get; init; }
    public required string Issuer { get; init; }
    public required string KeyAlgorithm { get; init; }
    public required int KeyBits { get; init; }
    /// <summary>Signature algorithm name (for example <c>sha256RSA</c>) and OID.</summary>
    public required string SignatureAlgorithm { get; init; }
    public required string SignatureOid { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
    public IReadOnlyList<string> DnsNames { get; init; } = [];
    public bool SelfIssued { get; init; }
    /// <summary>The certificate carries embedded SCTs (extension 1.3.6.1.4.1.11129.2.4.2).</summary>
    public bool HasEmbeddedScts { get; init; }
    /// <summary>Base64 SHA-256 of the DER SubjectPublicKeyInfo: the value NSPinnedDomains and TrustKit pin.</summary>
    public required string SpkiSha256 { get; init; }
    public double LifetimeDays => (NotAfter - NotBefore).TotalDays;
    /// <summary>SHA-1 or MD5 in the signature: platforms refuse it for leaf and intermediates.</summary>
    public bool WeakSignature => SignatureOid is "1.2.840.113549.1.1.5" or "1.2.840.113549.1.1.4" or "1.2.840.10045.4.1" or "1.2.840.10040.4.3" or "1.3.14.3.2.29";
    /// <summary>RSA under 2048 bits, EC under 256 (Apple's and the CA/B Forum's floor).</summary>
    public bool WeakKey => KeyAlgorithm switch { "RSA" => KeyBits < 2048, "EC" => KeyBits < 256, "DSA" => true, _ => false };
}

/// <summary>How the served chain relates to the trust store.</summary>
public enum ChainTrust
{
    Trusted,
    /// <summary>The chain ends in a root the trust store does not hold (a self-signed or private CA).</summary>
    Untrusted,
    /// <summary>The served certificates do not reach any root: an intermediate is missing (or the root is unknown and was not served).</summary>
    Incomplete,
}

/// <summary>The certificate chain and what it is worth.</summary>
public sealed record ChainReport
{
    /// <summary>Where the chain came from: <c>TLS1.2 handshake</c> (read in the clear) or <c>TLS1.3 handshake</c> (SslStream).</summary>
    public required string Source { get; init; }
    public required IReadOnlyList<CertificateReport> Served { get; init; }
    /// <summary>SPKI hashes of the chain as built to the trust store (leaf first), for pins on a root the server did not send.</summary>
    public IReadOnlyList<string> BuiltSpkiSha256 { get; init; } = [];
    public required ChainTrust Trust { get; init; }
    public string? TrustDetail { get; init; }
    public required bool HostnameMatches { get; init; }
    public required bool Expired { get; init; }
    public required bool NotYetValid { get; init; }
    /// <summary>A stapled OCSP response came with the handshake; null when it could not be seen (TLS 1.3).</summary>
    public bool? OcspStapled { get; init; }
    public bool SctInHandshake { get; init; }
    public CertificateReport Leaf => Served[0];
}

/// <summary>Everything learnt about one endpoint. Plain data: <see cref="ServerFindings"/> turns it into findings.</summary>
public sealed record EndpointReport
{
    public required Endpoint Endpoint { get; init; }
    public required ProbeStatus Status { get; init; }
    /// <summary>Why the status is not <see cref="ProbeStatus.Probed"/>, or what was incomplete.</summary>
    public string? Problem { get; init; }
    public string? Address { get; init; }
    public IReadOnlyList<ProtocolResult> Protocols { get; init; } = [];
    /// <summary>Key-exchange groups the server accepts, in probe order (names such as <c>x25519</c>).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];
    public string? Alpn { get; init; }
    public ChainReport? Chain { get; init; }
    /// <summary>Parts that could not be probed (the chain of a TLS 1.3 server the local stack refused …); never a pass.</summary>
    public IReadOnlyList<string> Incomplete { get; init; } = [];
    public TimeSpan Elapsed { get; init; }
    public int Connections { get; init; }

    public IEnumerable<ProtocolResult> AcceptedProtocols => Protocols.Where(p => p.Accepted);
    public bool Accepts(ushort version) => Protocols.Any(p => p.Version == version && p.Accepted);
}
