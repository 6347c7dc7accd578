using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mstg.Proxy.Certificates;

/// <summary>
/// Makes (and caches per host + condition) the server certificate each condition presents. Key pairs are
/// generated once per key type and reused for every leaf, as mitmproxy does: leaf keys protect nothing here and
/// RSA generation would otherwise dominate cold-cache latency.
/// </summary>
public sealed class LeafCertificateFactory : IDisposable
{
    private readonly RunCertificateAuthority _ca;
    private readonly Lazy<RunCertificateAuthority> _untrustedCa;
    private readonly Lazy<ECDsa> _ecKey = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private readonly Lazy<RSA> _rsa2048 = new(() => RSA.Create(2048));
    private readonly Lazy<RSA> _rsa1024 = new(() => RSA.Create(1024));
    private readonly ConcurrentDictionary<(string Host, CertificateCondition Condition), Lazy<SslStreamCertificateContext>> _cache = new();

    public LeafCertificateFactory(RunCertificateAuthority ca)
    {
        _ca = ca;
        // A second CA no device has ever seen: same shape as the run CA, so only trust differs.
        _untrustedCa = new(() => RunCertificateAuthority.Create("MstgTests untrusted CA"));
    }

    public int CachedCount => _cache.Count;

    /// <summary>The name a wrong-host leaf is issued for: inside the same domain, so NameConstraints never explain the refusal.</summary>
    public static string WrongHostNameFor(string host) => "wrong-host." + host;

    public SslStreamCertificateContext GetContext(string host, CertificateCondition condition)
    {
        host = host.ToLowerInvariant();
        return _cache.GetOrAdd((host, condition), key => new Lazy<SslStreamCertificateContext>(() => Build(key.Host, key.Condition))).Value;
    }

    public X509Certificate2 GetLeaf(string host, CertificateCondition condition) => GetContext(host, condition).TargetCertificate;

    private SslStreamCertificateContext Build(string host, CertificateCondition condition)
    {
        var now = DateTimeOffset.UtcNow;
        var caCert = _ca.Certificate;
        // Leaves must sit inside the issuer's validity (CertificateRequest.Create enforces it).
        DateTimeOffset notBefore = caCert.NotBefore.ToUniversalTime().AddMinutes(1);
        DateTimeOffset notAfter = caCert.NotAfter.ToUniversalTime().AddMinutes(-1);
        X509Certificate2 leaf;
        var authority = _ca;
        switch (condition)
        {
            case CertificateCondition.SelfSigned:
            {
                var req = LeafRequest(host, _ecKey.Value, HashAlgorithmName.SHA256);
                leaf = req.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
                return SslStreamCertificateContext.Create(leaf, null, offline: true);
            }
            case CertificateCondition.UntrustedCa:
                authority = _untrustedCa.Value;
                leaf = Sign(LeafRequest(host, _ecKey.Value, HashAlgorithmName.SHA256), authority, authority.Certificate.NotBefore.AddMinutes(1), authority.Certificate.NotAfter.AddMinutes(-1), _ecKey.Value);
                break;
            case CertificateCondition.WrongHost:
                leaf = Sign(LeafRequest(WrongHostNameFor(host), _ecKey.Value, HashAlgorithmName.SHA256), authority, notBefore, notAfter, _ecKey.Value);
                break;
            case CertificateCondition.Expired:
                // Valid for a few minutes right after the CA's start, so it has ended by the time anyone connects.
                var expiredEnd = notBefore.AddMinutes(5);
                if (expiredEnd > now) expiredEnd = now.AddSeconds(-1);
                leaf = Sign(LeafRequest(host, _ecKey.Value, HashAlgorithmName.SHA256), authority, notBefore, expiredEnd, _ecKey.Value);
                break;
            case CertificateCondition.WeakKey:
                leaf = Sign(LeafRequest(host, _rsa1024.Value, HashAlgorithmName.SHA256), authority, notBefore, notAfter, _rsa1024.Value);
                break;
            case CertificateCondition.Sha1Signature:
                // The request's hash algorithm is the one the issuer signs with.
                leaf = Sign(LeafRequest(host, _rsa2048.Value, HashAlgorithmName.SHA1), authority, notBefore, notAfter, _rsa2048.Value);
                break;
            case CertificateCondition.NoForwardSecrecy:
                // RSA key exchange needs an RSA key in the leaf.
                leaf = Sign(LeafRequest(host, _rsa2048.Value, HashAlgorithmName.SHA256), authority, notBefore, notAfter, _rsa2048.Value);
                break;
            default: // TrustedCa, Tls10Only, Tls11Only (and Passthrough, which never asks)
                leaf = Sign(LeafRequest(host, _ecKey.Value, HashAlgorithmName.SHA256), authority, notBefore, notAfter, _ecKey.Value);
                break;
        }
        var chainIssuer = X509CertificateLoader.LoadCertificate(authority.Certificate.RawData); // public part only goes on the wire
        return SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(chainIssuer), offline: true);
    }

    private static CertificateRequest LeafRequest(string dnsName, AsymmetricAlgorithm key, HashAlgorithmName hash)
    {
        // The name comes from the client's SNI: build the subject field by field so commas or '=' cannot add parts.
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(dnsName);
        builder.AddOrganizationName("MstgTests proxy");
        var subject = builder.Build();
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, hash, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, hash),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
        var san = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(dnsName, out var ip)) san.AddIpAddress(ip); else san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static X509Certificate2 Sign(CertificateRequest request, RunCertificateAuthority issuer, DateTimeOffset notBefore, DateTimeOffset notAfter, AsymmetricAlgorithm leafKey)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // positive INTEGER
        // The generator overload lets an RSA CA sign an ECDSA leaf; the hash is the request's (SHA-1 for sha1-signature).
        var generator = request.HashAlgorithm == HashAlgorithmName.SHA1
            ? new Sha1RsaSignatureGenerator(issuer.Key)
            : X509SignatureGenerator.CreateForRSA(issuer.Key, RSASignaturePadding.Pkcs1);
        using var signed = request.Create(issuer.Certificate.SubjectName, generator, notBefore, notAfter, serial);
        return leafKey switch
        {
            RSA rsa => signed.CopyWithPrivateKey(rsa),
            ECDsa ec => signed.CopyWithPrivateKey(ec),
            _ => throw new ArgumentException("unsupported key", nameof(leafKey)),
        };
    }

    public void Dispose()
    {
        if (_untrustedCa.IsValueCreated) _untrustedCa.Value.Dispose();
        if (_ecKey.IsValueCreated) _ecKey.Value.Dispose();
        if (_rsa2048.IsValueCreated) _rsa2048.Value.Dispose();
        if (_rsa1024.IsValueCreated) _rsa1024.Value.Dispose();
    }
}
