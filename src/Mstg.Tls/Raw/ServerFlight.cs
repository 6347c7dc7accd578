namespace Mstg.Tls.Raw;

/// <summary>How a server answered one ClientHello.</summary>
public enum FlightOutcome
{
    /// <summary>A ServerHello (or, under TLS 1.3, a HelloRetryRequest) came back.</summary>
    Hello,
    /// <summary>The server refused with a TLS alert (<see cref="ServerFlight.Alert"/>).</summary>
    Alert,
    /// <summary>The server closed or reset the connection without a word.</summary>
    Closed,
    /// <summary>The bytes are not TLS (an HTTP server, an SSH banner, noise).</summary>
    NotTls,
    /// <summary>TLS records that break the protocol (a truncated or malformed message).</summary>
    Malformed,
    /// <summary>The server sent more than the reader's byte limit before its flight ended.</summary>
    TooLarge,
    /// <summary>Nothing decisive arrived before the time limit.</summary>
    TimedOut,
}

/// <summary>What a server sent in answer to a ClientHello, up to the point where TLS stops being readable in the clear.</summary>
public sealed record ServerFlight
{
    public required FlightOutcome Outcome { get; init; }
    /// <summary>Version the server chose (supported_versions for TLS 1.3), when it answered with a hello.</summary>
    public ushort? Version { get; init; }
    public ushort? CipherSuite { get; init; }
    public bool IsHelloRetryRequest { get; init; }
    /// <summary>The group of the key share (TLS 1.3), of the HelloRetryRequest, or of an ECDHE ServerKeyExchange.</summary>
    public ushort? Group { get; init; }
    /// <summary>Size of the DHE prime in bits, from a TLS ≤ 1.2 ServerKeyExchange.</summary>
    public int? DhBits { get; init; }
    public string? Alpn { get; init; }
    /// <summary>The certificate chain as served (leaf first), DER; only in TLS ≤ 1.2 where it travels in the clear.</summary>
    public IReadOnlyList<byte[]> Certificates { get; init; } = [];
    /// <summary>A CertificateStatus message (a stapled OCSP response) followed.</summary>
    public bool OcspStapled { get; init; }
    /// <summary>The ServerHello carried signed certificate timestamps (the signed_certificate_timestamp extension).</summary>
    public bool SctInExtension { get; init; }
    public IReadOnlyList<ushort> ExtensionTypes { get; init; } = [];
    public int? Alert { get; init; }
    /// <summary>What went wrong, for every outcome but <see cref="FlightOutcome.Hello"/>.</summary>
    public string? Problem { get; init; }
    public int BytesRead { get; init; }
    /// <summary>The connection was reset (TCP RST) before a hello arrived: worth one more try, a server under load does this.</summary>
    public bool WasReset { get; init; }

    public bool Accepted(ushort version) => Outcome == FlightOutcome.Hello && Version == version;

    public override string ToString() => Outcome switch
    {
        FlightOutcome.Hello => $"{TlsNames.Version(Version ?? 0)} {TlsNames.CipherSuite(CipherSuite ?? 0)}{(IsHelloRetryRequest ? " (HelloRetryRequest)" : "")}",
        FlightOutcome.Alert => $"alert {TlsNames.Alert(Alert ?? 0)}",
        _ => $"{Outcome}: {Problem}",
    };
}
