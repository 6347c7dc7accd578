using System.Security.Authentication;

namespace Mstg.Proxy.Certificates;

/// <summary>Who signs the leaf a condition presents.</summary>
public enum LeafIssuer
{
    /// <summary>The run CA, the one a tester installs on the device.</summary>
    RunCa,
    /// <summary>A second CA made per run that no device has ever seen (same shape as the run CA, only trust differs).</summary>
    UntrustedCa,
    /// <summary>The leaf signs itself.</summary>
    Self,
}

/// <summary>Whether the leaf is within its validity when a client connects.</summary>
public enum LeafValidity
{
    Current,
    /// <summary>Valid for a few minutes right after the issuer's start, so it has ended by the time anyone connects.</summary>
    Expired,
}

public enum LeafKey
{
    EcdsaP256,
    Rsa2048,
    /// <summary>Below ATS's 2048-bit minimum for RSA.</summary>
    Rsa1024,
}

/// <summary>The hash the issuer signs the leaf with.</summary>
public enum LeafSignature
{
    Sha256,
    /// <summary>sha1WithRSAEncryption, which ATS refuses.</summary>
    Sha1,
}

/// <summary>The name in the leaf's subject and subjectAltName.</summary>
public enum LeafHostName
{
    /// <summary>The host the client asked for (its SNI).</summary>
    RequestedHost,
    /// <summary><c>wrong-host.&lt;host&gt;</c>: inside the same domain, so name constraints never explain the refusal.</summary>
    WrongHost,
}

/// <summary>The certificate a condition presents, as data: <see cref="LeafCertificateFactory"/> builds exactly this.</summary>
public sealed record LeafSpec(LeafIssuer Issuer, LeafValidity Validity, LeafKey Key, LeafSignature Signature, LeafHostName HostName);

/// <summary>Which cipher suites the proxy offers on top of the protocol versions.</summary>
public enum CipherPolicy
{
    /// <summary>The TLS library's default list.</summary>
    Default,
    /// <summary>Only TLS_RSA_* suites (static RSA key exchange): no forward secrecy.</summary>
    RsaKeyExchangeOnly,
}

/// <summary>
/// Server-side TLS settings a condition asks for. <see cref="Protocols"/> = <see cref="SslProtocols.None"/> means the
/// operating system's default (TLS 1.2 and 1.3 on Debian).
/// </summary>
public sealed record ConditionTls(SslProtocols Protocols, CipherPolicy Ciphers);

/// <summary>What a client that follows App Transport Security (with its defaults) must do under a condition.</summary>
public enum AtsClientExpectation
{
    /// <summary>Nothing is presented (passthrough): the app meets its real server; the condition only observes (MSTG-NETWORK-1).</summary>
    Observe,
    /// <summary>
    /// The run CA is trusted on the device, so a client accepts unless it pins: refusing is required only where
    /// pinning is (MASVS L2, MSTG-NETWORK-4).
    /// </summary>
    AcceptUnlessPinned,
    /// <summary>Every client that validates certificates and follows ATS's defaults refuses.</summary>
    Refuse,
}

/// <summary>
/// One certificate condition, complete: its name, the leaf it presents, the TLS options, whether its server side
/// needs the relaxed OpenSSL child, the requirement it probes and what an ATS client must do. One row of
/// <see cref="ConditionCatalog"/>; docs/proxy.md's condition table shows the same rows.
/// </summary>
/// <param name="Name">Stable kebab-case name used on the command line, in events, in docs and in generated test names.</param>
/// <param name="Leaf">The leaf presented; null when nothing is presented (passthrough tunnels the origin's bytes).</param>
/// <param name="Presents">What the proxy presents, in words (the docs table cell).</param>
/// <param name="Requirement">The MSTG requirement the condition probes (MSTG-NETWORK-2, -3, -4; passthrough observes MSTG-NETWORK-1).</param>
/// <param name="Explanation">One line for reports: what accepting this condition means.</param>
public sealed record ConditionDescriptor(
    CertificateCondition Condition,
    string Name,
    LeafSpec? Leaf,
    ConditionTls Tls,
    bool NeedsLegacyOpenSsl,
    string Requirement,
    AtsClientExpectation AtsClient,
    string Presents,
    string Explanation)
{
    /// <summary>True when the proxy terminates TLS itself (every condition but passthrough).</summary>
    public bool Intercepts => Leaf is not null;

    /// <summary>Whether a client that follows ATS must refuse, given whether it is required to pin (MASVS L2).</summary>
    public bool ClientMustRefuse(bool pinningRequired) => AtsClient switch
    {
        AtsClientExpectation.Refuse => true,
        AtsClientExpectation.AcceptUnlessPinned => pinningRequired,
        _ => false,
    };
}
