using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mstg.Proxy.Certificates;

/// <summary>
/// Makes (and caches per host + condition) the server certificate each condition presents. Key pairs are
/// generated once per key type and reused for every leaf, as mitmproxy does: leaf keys protect nothing here and
/// RSA generation would otherwise dominate cold-cache latency.
/// The cache is bounded (least recently used entries go first, <see cref="Capacity"/>) because SNI names are chosen
/// by clients; an evicted leaf is disposed only once no handshake holds a <see cref="Lease"/> on it. An entry whose
/// leaf is within <see cref="RefreshMargin"/> of its end is rebuilt when a later leaf is possible (the run CA's own
/// end bounds every leaf it signs).
/// </summary>
public sealed class LeafCertificateFactory : IDisposable
{
    public const int DefaultCapacity = 1024;
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromHours(1);
    /// <summary>Leaves never outlive this even under a long-lived saved CA: Apple refuses TLS server certificates valid for longer than 398 days.</summary>
    public static readonly TimeSpan MaxLeafLifetime = TimeSpan.FromDays(397);

    private readonly RunCertificateAuthority _ca;
    private readonly Lazy<RunCertificateAuthority> _untrustedCa;
    private readonly Lazy<ECDsa> _ecKey = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private readonly Lazy<RSA> _rsa2048 = new(() => RSA.Create(2048));
    private readonly Lazy<RSA> _rsa1024 = new(() => RSA.Create(1024));
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<(string Host, CertificateCondition Condition), LinkedListNode<Entry>> _entries = new();
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private long _built;

    public LeafCertificateFactory(RunCertificateAuthority ca, int capacity = DefaultCapacity, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ca = ca;
        Capacity = capacity;
        _time = time ?? TimeProvider.System;
        // A second CA no device has ever seen: same shape as the run CA, so only trust differs.
        _untrustedCa = new(() => RunCertificateAuthority.Create("MstgTests untrusted CA", now: _time.GetUtcNow()));
    }

    public int Capacity { get; }

    public int CachedCount { get { lock (_gate) return _entries.Count; } }

    /// <summary>Leaves built so far (cache misses, refreshes included).</summary>
    public long BuiltCount => Interlocked.Read(ref _built);

    /// <summary>The name a wrong-host leaf is issued for: inside the same domain, so NameConstraints never explain the refusal.</summary>
    public static string WrongHostNameFor(string host) => "wrong-host." + host;

    /// <summary>
    /// The certificate context for a handshake, held until the lease is disposed: eviction meanwhile does not
    /// dispose the certificate under the handshake.
    /// </summary>
    public Lease Rent(string host, CertificateCondition condition)
    {
        var key = (host.ToLowerInvariant(), condition);
        var doomed = new List<Entry>();
        Entry entry;
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node) && node.Value.Built.IsValueCreated && _time.GetUtcNow() >= node.Value.Built.Value.RefreshAt)
            {
                Drop(node, doomed);
                node = null;
            }
            if (node is null)
            {
                node = _recency.AddFirst(new Entry(key, new Lazy<BuiltLeaf>(() => Build(key.Item1, condition))));
                _entries[key] = node;
                while (_entries.Count > Capacity) Drop(_recency.Last!, doomed);
            }
            else
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
            }
            entry = node.Value;
            entry.Leases++;
        }
        foreach (var d in doomed) d.DisposeCertificates();
        try
        {
            return new Lease(this, entry, entry.Built.Value.Context);
        }
        catch
        {
            // A failed build is not cached: the next handshake tries again.
            lock (_gate)
                if (_entries.TryGetValue(key, out var node) && node.Value == entry) Drop(node, doomed);
            Release(entry);
            throw;
        }
    }

    /// <summary>
    /// For inspection and tests: the context without a lease. With more than <see cref="Capacity"/> names in use it
    /// may be disposed later; handshakes use <see cref="Rent"/>.
    /// </summary>
    public SslStreamCertificateContext GetContext(string host, CertificateCondition condition)
    {
        using var lease = Rent(host, condition);
        return lease.Context;
    }

    public X509Certificate2 GetLeaf(string host, CertificateCondition condition) => GetContext(host, condition).TargetCertificate;

    private void Drop(LinkedListNode<Entry> node, List<Entry> doomed)
    {
        if (_entries.TryGetValue(node.Value.Key, out var current) && current == node) _entries.Remove(node.Value.Key);
        _recency.Remove(node);
        node.Value.Evicted = true;
        if (node.Value.Leases == 0) doomed.Add(node.Value);
    }

    private void Release(Entry entry)
    {
        bool dispose;
        lock (_gate)
        {
            entry.Leases--;
            dispose = entry.Evicted && entry.Leases == 0;
        }
        if (dispose) entry.DisposeCertificates();
    }

    /// <summary>A handshake's hold on one cached certificate context.</summary>
    public sealed class Lease : IDisposable
    {
        private LeafCertificateFactory? _owner;
        private readonly Entry _entry;

        internal Lease(LeafCertificateFactory owner, Entry entry, SslStreamCertificateContext context)
        {
            _owner = owner;
            _entry = entry;
            Context = context;
        }

        public SslStreamCertificateContext Context { get; }

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release(_entry);
    }

    internal sealed class Entry((string Host, CertificateCondition Condition) key, Lazy<BuiltLeaf> built)
    {
        public (string Host, CertificateCondition Condition) Key { get; } = key;
        public Lazy<BuiltLeaf> Built { get; } = built;
        public int Leases { get; set; }
        public bool Evicted { get; set; }

        public void DisposeCertificates()
        {
            if (!Built.IsValueCreated) return;
            var b = Built.Value;
            b.Context.TargetCertificate.Dispose();
            b.Leaf.Dispose();
            b.Issuer?.Dispose();
        }
    }

    internal sealed record BuiltLeaf(SslStreamCertificateContext Context, X509Certificate2 Leaf, X509Certificate2? Issuer, DateTimeOffset RefreshAt);

    private BuiltLeaf Build(string host, CertificateCondition condition)
    {
        var spec = ConditionCatalog.For(condition).Leaf
            ?? throw new InvalidOperationException($"condition {condition.ToName()} presents no certificate");
        Interlocked.Increment(ref _built);
        var now = _time.GetUtcNow();
        AsymmetricAlgorithm key = spec.Key switch
        {
            LeafKey.Rsa2048 => _rsa2048.Value,
            LeafKey.Rsa1024 => _rsa1024.Value,
            _ => _ecKey.Value,
        };
        // The request's hash algorithm is the one the issuer signs with.
        var hash = spec.Signature == LeafSignature.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var request = LeafRequest(spec.HostName == LeafHostName.WrongHost ? WrongHostNameFor(host) : host, key, hash);

        if (spec.Issuer == LeafIssuer.Self)
        {
            var (from, to) = spec.Validity == LeafValidity.Expired ? (now.AddDays(-2), now.AddDays(-1)) : (now.AddHours(-1), now.AddDays(1));
            var self = request.CreateSelfSigned(from, to);
            var selfEnd = spec.Validity == LeafValidity.Expired ? DateTimeOffset.MinValue : DateTimeOffset.MaxValue;
            return new BuiltLeaf(SslStreamCertificateContext.Create(self, null, offline: true), self, null, RefreshAt(self, now, selfEnd));
        }

        var authority = spec.Issuer == LeafIssuer.UntrustedCa ? _untrustedCa.Value : _ca;
        // Leaves must sit inside the issuer's validity (CertificateRequest.Create enforces it); the issuer's end bounds every leaf.
        DateTimeOffset notBefore = authority.Certificate.NotBefore.ToUniversalTime().AddMinutes(1);
        DateTimeOffset issuerEnd = authority.Certificate.NotAfter.ToUniversalTime().AddMinutes(-1);
        DateTimeOffset notAfter = Min(issuerEnd, now + MaxLeafLifetime);
        if (spec.Validity == LeafValidity.Expired)
        {
            // Valid for a few minutes right after the CA's start, so it has ended by the time anyone connects.
            notAfter = notBefore.AddMinutes(5);
            if (notAfter > now) notAfter = now.AddSeconds(-1);
            issuerEnd = DateTimeOffset.MinValue; // meant to be over: never refreshed
        }
        var leaf = Sign(request, authority, notBefore, notAfter, key);
        var chainIssuer = X509CertificateLoader.LoadCertificate(authority.Certificate.RawData); // public part only goes on the wire
        var context = SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(chainIssuer), offline: true);
        return new BuiltLeaf(context, leaf, chainIssuer, RefreshAt(leaf, now, issuerEnd));
    }

    /// <summary>When to build this leaf again: near its end, unless a rebuilt one could not end any later.</summary>
    private static DateTimeOffset RefreshAt(X509Certificate2 leaf, DateTimeOffset now, DateTimeOffset latestPossibleEnd)
    {
        var end = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (end - RefreshMargin <= now || latestPossibleEnd <= end.AddSeconds(1)) return DateTimeOffset.MaxValue;
        return end - RefreshMargin;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

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
        lock (_gate)
        {
            foreach (var node in _entries.Values) node.Value.Evicted = true;
            foreach (var node in _entries.Values.Where(n => n.Value.Leases == 0)) node.Value.DisposeCertificates();
            _entries.Clear();
            _recency.Clear();
        }
        if (_untrustedCa.IsValueCreated) _untrustedCa.Value.Dispose();
        if (_ecKey.IsValueCreated) _ecKey.Value.Dispose();
        if (_rsa2048.IsValueCreated) _rsa2048.Value.Dispose();
        if (_rsa1024.IsValueCreated) _rsa1024.Value.Dispose();
    }
}
