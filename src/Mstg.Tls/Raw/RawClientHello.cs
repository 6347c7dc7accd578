using System.Security.Cryptography;
using System.Text;

namespace Mstg.Tls.Raw;

/// <summary>Encodes a <see cref="HelloSpec"/> as one TLS handshake record holding a ClientHello.</summary>
public static class RawClientHello
{
    public static byte[] Build(HelloSpec spec)
    {
        var tls13 = spec.Version == TlsCatalog.Tls13;
        var legacy = tls13 ? TlsCatalog.Tls12 : spec.Version;
        var body = new List<byte>();
        U16(body, legacy);
        body.AddRange(RandomNumberGenerator.GetBytes(32));
        // TLS 1.3 middlebox compatibility mode sends a session id; older versions send none.
        if (tls13) { body.Add(32); body.AddRange(RandomNumberGenerator.GetBytes(32)); }
        else body.Add(0);
        var suites = spec.CipherSuites.Count > 0 ? spec.CipherSuites : throw new ArgumentException("a ClientHello needs at least one cipher suite", nameof(spec));
        if (suites.Count > 32000) throw new ArgumentException("too many cipher suites", nameof(spec));
        U16(body, suites.Count * 2); foreach (var s in suites) U16(body, s);
        body.AddRange([1, 0]); // compression: null only

        // SSL 3.0 servers may choke on extensions; they had none.
        if (spec.Version != TlsCatalog.Ssl30)
        {
            var ext = new List<byte>();
            if (spec.ServerName is { Length: > 0 } sni)
            {
                var name = Encoding.ASCII.GetBytes(sni);
                Ext(ext, 0, [.. Be(name.Length + 3), 0, .. Be(name.Length), .. name]);
            }
            if (spec.RequestStatus)
            {
                Ext(ext, 5, [1, 0, 0, 0, 0]);   // status_request: OCSP, no responder ids, no extensions
                Ext(ext, 18, []);               // signed_certificate_timestamp
            }
            Ext(ext, 10, [.. Be(spec.Groups.Count * 2), .. spec.Groups.SelectMany(g => Be(g))]);
            Ext(ext, 11, [1, 0]);              // ec_point_formats: uncompressed
            Ext(ext, 13, [.. Be(spec.SignatureAlgorithms.Count * 2), .. spec.SignatureAlgorithms.SelectMany(g => Be(g))]);
            if (spec.Alpn.Count > 0)
            {
                var list = spec.Alpn.SelectMany(p => { var b = Encoding.ASCII.GetBytes(p); return new[] { (byte)b.Length }.Concat(b); }).ToArray();
                Ext(ext, 16, [.. Be(list.Length), .. list]);
            }
            Ext(ext, 23, []);                  // extended_master_secret
            Ext(ext, 0xff01, [0]);             // renegotiation_info, empty: a first handshake
            if (tls13)
            {
                Ext(ext, 43, [2, .. Be(TlsCatalog.Tls13)]);
                Ext(ext, 45, [1, 1]);          // psk_key_exchange_modes: psk_dhe_ke
                var shares = new List<byte>();
                foreach (var g in spec.KeyShares.Where(g => g == TlsCatalog.X25519))
                {
                    // Any 32 bytes are an X25519 public value; the prober never finishes the handshake.
                    U16(shares, g); U16(shares, 32); shares.AddRange(RandomNumberGenerator.GetBytes(32));
                }
                Ext(ext, 51, [.. Be(shares.Count), .. shares]);
            }
            U16(body, ext.Count);
            body.AddRange(ext);
        }

        var hs = new List<byte>(body.Count + 4) { 1, (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count };
        hs.AddRange(body);
        if (hs.Count > 16384) throw new ArgumentException($"ClientHello of {hs.Count} bytes does not fit one record", nameof(spec));
        // Record-layer version: 3.0 for an SSL 3.0 hello, 3.1 otherwise (what OpenSSL and browsers send).
        ushort recordVersion = spec.Version == TlsCatalog.Ssl30 ? TlsCatalog.Ssl30 : TlsCatalog.Tls10;
        return [0x16, (byte)(recordVersion >> 8), (byte)recordVersion, (byte)(hs.Count >> 8), (byte)hs.Count, .. hs];
    }

    private static byte[] Be(int v) => [(byte)(v >> 8), (byte)v];
    private static void U16(List<byte> l, int v) => l.AddRange(Be(v));

    private static void Ext(List<byte> l, ushort type, byte[] data)
    {
        U16(l, type);
        U16(l, data.Length);
        l.AddRange(data);
    }
}
