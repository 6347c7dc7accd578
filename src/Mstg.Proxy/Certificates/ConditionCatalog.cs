using System.Security.Authentication;

namespace Mstg.Proxy.Certificates;

/// <summary>
/// Every certificate condition the proxy can present, as one table: the counterpart of <c>RuleCatalog</c> for the
/// dynamic checks. <see cref="LeafCertificateFactory"/>, <see cref="ConditionTlsOptions"/> and the pipeline read it;
/// docs/proxy.md shows the same rows (a test keeps them in step); the dynamic suites generate their cases from it.
/// Names are stable: they appear in events, on the command line and in test names.
/// </summary>
public static class ConditionCatalog
{
    public const string Network1 = "MSTG-NETWORK-1", Network2 = "MSTG-NETWORK-2", Network3 = "MSTG-NETWORK-3", Network4 = "MSTG-NETWORK-4";

    private static readonly ConditionTls OsDefault = new(SslProtocols.None, CipherPolicy.Default);

    private static LeafSpec RunCaLeaf(LeafKey key = LeafKey.EcdsaP256, LeafSignature signature = LeafSignature.Sha256) =>
        new(LeafIssuer.RunCa, LeafValidity.Current, key, signature, LeafHostName.RequestedHost);

#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 are the point of these conditions.
    private static readonly ConditionDescriptor[] All =
    [
        new(CertificateCondition.Passthrough, "passthrough", null, OsDefault, false, Network1, AtsClientExpectation.Observe,
            "nothing: bytes tunnelled to the origin, ClientHello parsed",
            "Traffic observed untouched: cleartext and the TLS versions and suites the app offers are recorded."),
        new(CertificateCondition.TrustedCa, "trusted-ca", RunCaLeaf(), OsDefault, false, Network4, AtsClientExpectation.AcceptUnlessPinned,
            "ECDSA P-256 leaf for the host, signed (SHA-256) by the run CA",
            "The app accepted a certificate from a CA installed on the device: it does not pin the server's certificate or key."),
        new(CertificateCondition.UntrustedCa, "untrusted-ca", RunCaLeaf() with { Issuer = LeafIssuer.UntrustedCa }, OsDefault, false, Network3, AtsClientExpectation.Refuse,
            "same shape, signed by a second CA generated per run that no device has seen",
            "The app accepted a certificate issued by a CA it does not trust: it does not validate the certificate chain."),
        new(CertificateCondition.SelfSigned, "self-signed", RunCaLeaf() with { Issuer = LeafIssuer.Self }, OsDefault, false, Network3, AtsClientExpectation.Refuse,
            "self-signed leaf for the host",
            "The app accepted a self-signed certificate: it does not validate the certificate chain."),
        new(CertificateCondition.WrongHost, "wrong-host", RunCaLeaf() with { HostName = LeafHostName.WrongHost }, OsDefault, false, Network3, AtsClientExpectation.Refuse,
            "run-CA leaf for `wrong-host.<host>` (inside the same domain, so name constraints never explain the refusal)",
            "The app accepted a trusted certificate issued for another host name: it does not verify the host name."),
        new(CertificateCondition.Expired, "expired", RunCaLeaf() with { Validity = LeafValidity.Expired }, OsDefault, false, Network3, AtsClientExpectation.Refuse,
            "run-CA leaf whose validity ended minutes after the CA's start",
            "The app accepted an expired certificate: it does not check the validity period."),
        // Key size and signature hash are certificate requirements ATS enforces next to TLS 1.2 and forward secrecy:
        // they probe the TLS settings (MSTG-NETWORK-2); a client can validate chains correctly (NETWORK-3) and still accept them.
        new(CertificateCondition.WeakKey, "weak-key", RunCaLeaf(LeafKey.Rsa1024), OsDefault, true, Network2, AtsClientExpectation.Refuse,
            "run-CA leaf with an RSA-1024 key",
            "The app accepted a certificate with an RSA key below 2048 bits, which ATS refuses."),
        new(CertificateCondition.Sha1Signature, "sha1-signature", RunCaLeaf(LeafKey.Rsa2048, LeafSignature.Sha1), OsDefault, true, Network2, AtsClientExpectation.Refuse,
            "run-CA leaf (RSA-2048) signed with sha1WithRSAEncryption",
            "The app accepted a certificate signed with SHA-1, which ATS refuses."),
        new(CertificateCondition.Tls10Only, "tls10-only", RunCaLeaf(), new(SslProtocols.Tls, CipherPolicy.Default), true, Network2, AtsClientExpectation.Refuse,
            "trusted leaf, TLS 1.0 only",
            "The app completed a TLS 1.0 handshake: it accepts a deprecated protocol version (ATS requires TLS 1.2)."),
        new(CertificateCondition.Tls11Only, "tls11-only", RunCaLeaf(), new(SslProtocols.Tls11, CipherPolicy.Default), true, Network2, AtsClientExpectation.Refuse,
            "trusted leaf, TLS 1.1 only",
            "The app completed a TLS 1.1 handshake: it accepts a deprecated protocol version (ATS requires TLS 1.2)."),
        // TLS 1.3 always has forward secrecy, so stop at 1.2 and offer only RSA key-exchange suites (RSA leaf needed).
        new(CertificateCondition.NoForwardSecrecy, "no-forward-secrecy", RunCaLeaf(LeafKey.Rsa2048), new(SslProtocols.Tls12, CipherPolicy.RsaKeyExchangeOnly), false, Network2, AtsClientExpectation.Refuse,
            "RSA-2048 trusted leaf, TLS 1.2 only, TLS_RSA_* suites only",
            "The app completed a handshake with static RSA key exchange: it does not require forward secrecy, as ATS does."),
    ];
#pragma warning restore SYSLIB0039

    private static readonly Dictionary<CertificateCondition, ConditionDescriptor> ByCondition = All.ToDictionary(d => d.Condition);
    private static readonly Dictionary<string, ConditionDescriptor> ByName = All.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every condition, in the order of docs/proxy.md.</summary>
    public static IReadOnlyList<ConditionDescriptor> Conditions => All;

    public static ConditionDescriptor For(CertificateCondition condition) =>
        ByCondition.TryGetValue(condition, out var d) ? d : throw new ArgumentOutOfRangeException(nameof(condition), condition, "not a certificate condition");

    public static bool TryFind(string? name, out ConditionDescriptor descriptor) =>
        ByName.TryGetValue(name ?? "", out descriptor!);

    /// <summary>The conditions that probe one requirement (e.g. every MSTG-NETWORK-3 condition).</summary>
    public static IReadOnlyList<ConditionDescriptor> Probing(string requirement) =>
        All.Where(d => string.Equals(d.Requirement, requirement, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The conditions a client that follows ATS must refuse, given whether it is required to pin.</summary>
    public static IReadOnlyList<ConditionDescriptor> MustRefuse(bool pinningRequired) =>
        All.Where(d => d.ClientMustRefuse(pinningRequired)).ToList();
}
