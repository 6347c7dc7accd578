using System.Net.Security;

namespace Mstg.Tls.Raw;

/// <summary>
/// The numbers a prober offers: every cipher suite IANA lists (through the BCL's <see cref="TlsCipherSuite"/>), the
/// named groups and the signature algorithms. Offering all of them is what lets the server, not the local OpenSSL,
/// decide what is accepted.
/// </summary>
public static class TlsCatalog
{
    public const ushort Ssl30 = 0x0300, Tls10 = 0x0301, Tls11 = 0x0302, Tls12 = 0x0303, Tls13 = 0x0304;
    public const ushort X25519 = 0x001d;

    /// <summary>Protocol versions from oldest to newest.</summary>
    public static readonly IReadOnlyList<ushort> Versions = [Ssl30, Tls10, Tls11, Tls12, Tls13];

    /// <summary>The TLS 1.3 suites (RFC 8446 B.4).</summary>
    public static readonly IReadOnlyList<ushort> Tls13Suites = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305];

    /// <summary>Every pre-1.3 suite IANA names, without the signalling values (renegotiation SCSV 0x00ff, fallback SCSV 0x5600).</summary>
    public static readonly IReadOnlyList<ushort> LegacySuites = Enum.GetValues<TlsCipherSuite>()
        .Select(s => (ushort)s).Distinct()
        .Where(s => s is not (0x00ff or 0x5600) && (s >> 8) != 0x13 && s != 0x0000)
        .Order().ToArray();

    /// <summary>Named groups (RFC 8446 4.2.7, RFC 7919): the elliptic curves first, then finite-field groups.</summary>
    public static readonly IReadOnlyList<ushort> AllGroups =
        [0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104,
         // Legacy curves some old servers still name.
         0x0015, 0x0016, 0x001a, 0x001b, 0x001c, 0x0013, 0x0014];

    public static string GroupName(ushort g) => g switch
    {
        0x001d => "x25519", 0x001e => "x448", 0x0017 => "secp256r1", 0x0018 => "secp384r1", 0x0019 => "secp521r1",
        0x0100 => "ffdhe2048", 0x0101 => "ffdhe3072", 0x0102 => "ffdhe4096", 0x0103 => "ffdhe6144", 0x0104 => "ffdhe8192",
        0x0013 => "secp192r1", 0x0014 => "secp224k1", 0x0015 => "secp224r1", 0x0016 => "secp256k1",
        0x001a => "brainpoolP256r1", 0x001b => "brainpoolP384r1", 0x001c => "brainpoolP512r1",
        _ => $"0x{g:x4}",
    };

    /// <summary>Signature schemes (RFC 8446 4.2.3), including the SHA-1 and legacy ones so old servers can answer.</summary>
    public static readonly IReadOnlyList<ushort> AllSignatureAlgorithms =
        [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b,
         0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202, 0x0402, 0x0502, 0x0602];

    /// <summary>The suites to offer for <paramref name="version"/>.</summary>
    public static IReadOnlyList<ushort> SuitesFor(ushort version) => version == Tls13 ? Tls13Suites : LegacySuites;
}
