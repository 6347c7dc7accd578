using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mstg.Analysis.BundleFiles;

/// <summary>What a certificate or key file in the bundle contains.</summary>
public sealed record CertificateFileContents(IReadOnlyList<CertificateSummary> Certificates, bool HasPrivateKey, string? Problem);

/// <summary>The facts about one certificate a reviewer needs to relate it to pins: subject, expiry and SPKI SHA-256 (the value ATS and TrustKit pin).</summary>
public sealed record CertificateSummary(string Subject, string Issuer, DateTimeOffset NotAfter, string SpkiSha256Base64)
{
    public string Describe(DateTimeOffset now) =>
        $"subject \"{Subject}\", issuer \"{Issuer}\", expires {NotAfter:yyyy-MM-dd}{(NotAfter < now ? " (EXPIRED)" : "")}, SPKI-SHA256 {SpkiSha256Base64}";
}

/// <summary>Parses DER or PEM certificate files with the BCL, never throwing on bad content.</summary>
public static class CertificateInspector
{
    public const int MaxBytes = 1 << 20;

    public static CertificateSummary Summarise(X509Certificate2 certificate) => new(
        certificate.Subject, certificate.Issuer, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())));

    public static CertificateFileContents Inspect(ReadOnlySpan<byte> bytes)
    {
        var certificates = new List<CertificateSummary>();
        var hasKey = false;
        string? problem = null;
        if (LooksLikePem(bytes))
        {
            var text = Encoding.ASCII.GetString(bytes).AsSpan();
            while (PemEncoding.TryFind(text, out var fields))
            {
                var label = text[fields.Label].ToString();
                if (label.Contains("PRIVATE KEY", StringComparison.Ordinal)) hasKey = true;
                else if (label == "CERTIFICATE")
                {
                    try
                    {
                        using var cert = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text[fields.Base64Data].ToString()));
                        certificates.Add(Summarise(cert));
                    }
                    catch (Exception e) when (e is CryptographicException or FormatException) { problem = "a PEM certificate block is not a valid certificate"; }
                }
                text = text[fields.Location.End..];
            }
            if (certificates.Count == 0 && !hasKey) problem ??= "no certificate or key block found";
        }
        else
        {
            try
            {
                using var cert = X509CertificateLoader.LoadCertificate(bytes);
                certificates.Add(Summarise(cert));
            }
            catch (CryptographicException) { problem = "not a DER-encoded X.509 certificate"; }
        }
        return new CertificateFileContents(certificates, hasKey, problem);
    }

    /// <summary>True when the PKCS#12 file opens without a password (anyone can extract its key).</summary>
    public static bool OpensWithoutPassword(byte[] pkcs12)
    {
        foreach (var password in new[] { "", null })
        {
            try
            {
                var collection = X509CertificateLoader.LoadPkcs12Collection(pkcs12, password, X509KeyStorageFlags.EphemeralKeySet);
                foreach (var c in collection) c.Dispose();
                return true;
            }
            catch (CryptographicException) { }
        }
        return false;
    }

    private static bool LooksLikePem(ReadOnlySpan<byte> bytes) => bytes.IndexOf("-----BEGIN "u8) >= 0;
}
