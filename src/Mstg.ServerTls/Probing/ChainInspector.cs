using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mstg.ServerTls.Probing;

/// <summary>Reads the served certificates and builds the chain to the trust store. No network: AIA fetching is off.</summary>
public static class ChainInspector
{
    private const string SctExtensionOid = "1.3.6.1.4.1.11129.2.4.2";

    public static ChainReport Inspect(IReadOnlyList<X509Certificate2> served, string name, ProbeOptions options, string source, bool? ocspStapled, bool sctInHandshake)
    {
        if (served.Count == 0) throw new ArgumentException("no certificates served", nameof(served));
        var leaf = served[0];
        var now = options.Clock.GetUtcNow();
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        // Expiry is its own finding; the trust verdict should only say whether the chain reaches a root.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        if (options.TrustAnchors is { } anchors)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        }
        foreach (var extra in served.Skip(1)) chain.ChainPolicy.ExtraStore.Add(extra);
        var built = chain.Build(leaf);
        var flags = chain.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (a, b) => a | b)
                    & ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.CtlNotTimeValid);
        var trust = built || flags == X509ChainStatusFlags.NoError ? ChainTrust.Trusted
            : flags.HasFlag(X509ChainStatusFlags.PartialChain) ? ChainTrust.Incomplete
            : ChainTrust.Untrusted;
        var detail = trust == ChainTrust.Trusted ? null
            : string.Join("; ", chain.ChainStatus.Where(s => s.Status is not (X509ChainStatusFlags.NotTimeValid or X509ChainStatusFlags.CtlNotTimeValid))
                .Select(s => $"{s.Status}: {s.StatusInformation.Trim()}").Distinct());
        var builtHashes = chain.ChainElements.Select(e => Spki(e.Certificate)).ToList();
        foreach (var element in chain.ChainElements) if (!served.Any(s => s.Thumbprint == element.Certificate.Thumbprint)) element.Certificate.Dispose();

        return new ChainReport
        {
            Source = source,
            Served = served.Select(Describe).ToList(),
            BuiltSpkiSha256 = builtHashes,
            Trust = trust,
            TrustDetail = detail,
            HostnameMatches = MatchesHostname(leaf, name),
            Expired = now > leaf.NotAfter.ToUniversalTime(),
            NotYetValid = now < leaf.NotBefore.ToUniversalTime(),
            OcspStapled = ocspStapled,
            SctInHandshake = sctInHandshake,
        };
    }

    // A name that is not a valid host name (from --sni, say) matches nothing rather than throwing.
    private static bool MatchesHostname(X509Certificate2 leaf, string name)
    {
        try { return leaf.MatchesHostname(name, allowWildcards: true, allowCommonName: false); }
        catch (ArgumentException) { return false; }
    }

    public static CertificateReport Describe(X509Certificate2 cert)
    {
        string algorithm; int bits;
        using (var rsa = cert.GetRSAPublicKey())
        using (var ec = rsa is null ? cert.GetECDsaPublicKey() : null)
        {
            if (rsa is not null) { algorithm = "RSA"; bits = rsa.KeySize; }
            else if (ec is not null) { algorithm = "EC"; bits = ec.KeySize; }
            else
            {
                algorithm = cert.PublicKey.Oid.Value switch { "1.3.101.112" => "Ed25519", "1.3.101.113" => "Ed448", "1.2.840.10040.4.1" => "DSA", var o => cert.PublicKey.Oid.FriendlyName ?? o ?? "unknown" };
                bits = algorithm switch { "Ed25519" => 256, "Ed448" => 456, _ => cert.PublicKey.EncodedKeyValue.RawData.Length * 8 };
            }
        }
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return new CertificateReport
        {
            Subject = cert.Subject,
            Issuer = cert.Issuer,
            KeyAlgorithm = algorithm,
            KeyBits = bits,
            SignatureAlgorithm = cert.SignatureAlgorithm.FriendlyName ?? cert.SignatureAlgorithm.Value ?? "unknown",
            SignatureOid = cert.SignatureAlgorithm.Value ?? "",
            NotBefore = cert.NotBefore.ToUniversalTime(),
            NotAfter = cert.NotAfter.ToUniversalTime(),
            DnsNames = san?.EnumerateDnsNames().ToList() ?? [],
            SelfIssued = cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData),
            HasEmbeddedScts = cert.Extensions[SctExtensionOid] is not null,
            SpkiSha256 = Spki(cert),
        };
    }

    public static string Spki(X509Certificate2 cert) => Convert.ToBase64String(SHA256.HashData(cert.PublicKey.ExportSubjectPublicKeyInfo()));
}
