using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mstg.ServerTls.Tests.Infrastructure;

/// <summary>
/// A private PKI made fresh for each test class: a root CA (the only trust anchor the tests pass to the prober), an
/// intermediate CA, and leaves with whatever defect a case needs. Everything is written as PEM into a private folder.
/// </summary>
public sealed class TestPki : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("mstg-pki-").FullName;
    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }
    public string TrustFile { get; }
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public TestPki()
    {
        Root = MakeCa("CN=MstgTests Server TLS Root", issuer: null, Now.AddDays(-400), Now.AddDays(3650));
        Intermediate = MakeCa("CN=MstgTests Server TLS Intermediate", Root, Now.AddDays(-399), Now.AddDays(3000));
        TrustFile = Path.Combine(Directory, "trust.pem");
        File.WriteAllText(TrustFile, Root.ExportCertificatePem() + "\n");
    }

    public X509Certificate2Collection Anchors => [X509CertificateLoader.LoadCertificate(Root.RawData)];

    /// <summary>Options of one leaf; defaults are a good certificate for localhost issued by the root.</summary>
    public sealed record LeafSpec
    {
        public string Name { get; init; } = "localhost";
        public int RsaBits { get; init; } = 2048;
        public bool Sha1 { get; init; }
        public bool SelfSigned { get; init; }
        public bool ByIntermediate { get; init; }
        public DateTimeOffset NotBefore { get; init; } = Now.AddDays(-1);
        public DateTimeOffset NotAfter { get; init; } = Now.AddDays(89);
        /// <summary>Adds the embedded-SCT extension (1.3.6.1.4.1.11129.2.4.2) with placeholder bytes: presence is what is checked.</summary>
        public bool EmbeddedSct { get; init; }
    }

    /// <summary>The root's private key as PEM, for openssl commands that sign as the CA (an OCSP response).</summary>
    public string WriteRootKey(string dir)
    {
        var path = Path.Combine(dir, "root.key");
        using var key = Root.GetRSAPrivateKey()!;
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(Path.Combine(dir, "root.pem"), Root.ExportCertificatePem() + "\n");
        return path;
    }

    /// <summary>Writes leaf.pem, leaf.key and (when the leaf comes from the intermediate) chain.pem into <paramref name="dir"/>.</summary>
    public (string Cert, string Key, string? Chain, X509Certificate2 Leaf) WriteLeaf(string dir, LeafSpec spec)
    {
        using var key = RSA.Create(spec.RsaBits);
        var req = new CertificateRequest($"CN={spec.Name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(spec.Name);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        if (spec.EmbeddedSct) req.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.11129.2.4.2", [0x04, 0x02, 0x00, 0x00], false));
        X509Certificate2 leaf;
        var serial = RandomNumberGenerator.GetBytes(12); serial[0] &= 0x7f;
        if (spec.SelfSigned)
            leaf = req.CreateSelfSigned(spec.NotBefore, spec.NotAfter);
        else
        {
            var issuer = spec.ByIntermediate ? Intermediate : Root;
            req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            using var issuerKey = issuer.GetRSAPrivateKey()!;
            X509SignatureGenerator generator = spec.Sha1 ? new Sha1Signer(issuerKey) : X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1);
            using var pub = req.Create(issuer.SubjectName, generator, spec.NotBefore, spec.NotAfter, serial);
            leaf = pub.CopyWithPrivateKey(key);
        }
        System.IO.Directory.CreateDirectory(dir);
        var cert = Path.Combine(dir, "leaf.pem");
        var keyFile = Path.Combine(dir, "leaf.key");
        File.WriteAllText(cert, leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        string? chain = null;
        if (spec.ByIntermediate)
        {
            chain = Path.Combine(dir, "chain.pem");
            File.WriteAllText(chain, Intermediate.ExportCertificatePem() + "\n");
        }
        return (cert, keyFile, chain, leaf);
    }

    private static X509Certificate2 MakeCa(string subject, X509Certificate2? issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        if (issuer is null) return req.CreateSelfSigned(notBefore, notAfter);
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = RandomNumberGenerator.GetBytes(12); serial[0] &= 0x7f;
        using var pub = req.Create(issuer, notBefore, notAfter, serial);
        return pub.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { }
    }

    /// <summary>sha1WithRSAEncryption: the BCL no longer signs with SHA-1, and the weak-signature case needs exactly that.</summary>
    private sealed class Sha1Signer(RSA key) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
        {
            var w = new AsnWriter(AsnEncodingRules.DER);
            using (w.PushSequence()) { w.WriteObjectIdentifier("1.2.840.113549.1.1.5"); w.WriteNull(); }
            return w.Encode();
        }
        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        protected override PublicKey BuildPublicKey() => new(key);
    }
}
