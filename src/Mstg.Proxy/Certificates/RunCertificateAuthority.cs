using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mstg.Proxy.Certificates;

/// <summary>
/// The CA generated for one run, in memory only. Its certificate is what testers install on the device
/// (trusted-ca condition); its private key never touches disk unless <see cref="ExportPrivateKeyPem"/> is called.
/// </summary>
public sealed class RunCertificateAuthority : IDisposable
{
    private RunCertificateAuthority(X509Certificate2 certificate, RSA key, IReadOnlyList<string> permittedDnsNames)
    {
        Certificate = certificate;
        Key = key;
        PermittedDnsNames = permittedDnsNames;
    }

    /// <summary>The CA certificate with its private key attached (for signing).</summary>
    public X509Certificate2 Certificate { get; }

    internal RSA Key { get; }

    /// <summary>The dNSName subtrees the CA is constrained to; empty means unconstrained.</summary>
    public IReadOnlyList<string> PermittedDnsNames { get; }

    /// <summary>
    /// Creates a CA valid from one hour ago (clock skew on devices) for about a day. When a scope is given the
    /// CA carries a critical NameConstraints extension so it cannot vouch for hosts outside it.
    /// </summary>
    public static RunCertificateAuthority Create(string commonName, IEnumerable<string>? scopeGlobs = null, DateTimeOffset? now = null, TimeSpan? lifetime = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var key = RSA.Create(2048);
        var request = new CertificateRequest(
            new X500DistinguishedName($"CN={commonName}, O=MstgTests run CA"), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var permitted = (scopeGlobs ?? []).Select(NameConstraintsExtension.SubtreeForGlob).OfType<string>().Distinct().ToList();
        if (permitted.Count > 0)
            request.CertificateExtensions.Add(NameConstraintsExtension.Create(permitted));
        // A day by default: the run's CA is meant to die with the run. A device CA kept for weeks is asked for explicitly.
        var certificate = request.CreateSelfSigned(at.AddHours(-1), at.Add(lifetime ?? TimeSpan.FromDays(1)));
        return new RunCertificateAuthority(certificate, key, permitted);
    }

    /// <summary>Loads a CA exported earlier (certificate PEM + PKCS#8 key PEM), e.g. one already installed on a device.</summary>
    public static RunCertificateAuthority Load(string certificatePemPath, string keyPemPath)
    {
        X509Certificate2 cert;
        RSA key = RSA.Create();
        try
        {
            cert = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePemPath));
            key.ImportFromPem(File.ReadAllText(keyPemPath));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException)
        {
            key.Dispose();
            throw new MstgInputException(certificatePemPath, "CA certificate/key", e.Message, e);
        }
        var withKey = cert.CopyWithPrivateKey(key);
        var constraints = withKey.Extensions.FirstOrDefault(x => x.Oid?.Value == NameConstraintsExtension.Oid);
        return new RunCertificateAuthority(withKey, key,
            constraints is null ? [] : NameConstraintsExtension.ReadPermittedDnsNames(constraints));
    }

    public string ExportCertificatePem() => Certificate.ExportCertificatePem() + "\n";

    public byte[] ExportCertificateDer() => Certificate.RawData;

    /// <summary>
    /// An iOS configuration profile with one com.apple.security.root payload. After installing it the tester
    /// must still enable full trust in Settings › General › About › Certificate Trust Settings.
    /// </summary>
    public string ExportMobileConfig()
    {
        var thumb = Certificate.Thumbprint.ToLowerInvariant();
        var payloadUuid = UuidFrom("payload:" + thumb);
        var profileUuid = UuidFrom("profile:" + thumb);
        var name = System.Security.SecurityElement.Escape(Certificate.GetNameInfo(X509NameType.SimpleName, false));
        var data = Convert.ToBase64String(Certificate.RawData);
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.Append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
        sb.Append("<plist version=\"1.0\">\n<dict>\n");
        sb.Append("  <key>PayloadContent</key>\n  <array>\n    <dict>\n");
        sb.Append($"      <key>PayloadCertificateFileName</key>\n      <string>mstg-run-ca.cer</string>\n");
        sb.Append($"      <key>PayloadContent</key>\n      <data>{data}</data>\n");
        sb.Append($"      <key>PayloadDisplayName</key>\n      <string>{name}</string>\n");
        sb.Append($"      <key>PayloadIdentifier</key>\n      <string>org.mstgtests.proxy.ca.{thumb}</string>\n");
        sb.Append("      <key>PayloadType</key>\n      <string>com.apple.security.root</string>\n");
        sb.Append($"      <key>PayloadUUID</key>\n      <string>{payloadUuid}</string>\n");
        sb.Append("      <key>PayloadVersion</key>\n      <integer>1</integer>\n");
        sb.Append("    </dict>\n  </array>\n");
        sb.Append($"  <key>PayloadDisplayName</key>\n  <string>MstgTests proxy CA ({name})</string>\n");
        sb.Append($"  <key>PayloadIdentifier</key>\n  <string>org.mstgtests.proxy.{thumb}</string>\n");
        sb.Append("  <key>PayloadRemovalDisallowed</key>\n  <false/>\n");
        sb.Append("  <key>PayloadType</key>\n  <string>Configuration</string>\n");
        sb.Append($"  <key>PayloadUUID</key>\n  <string>{profileUuid}</string>\n");
        sb.Append("  <key>PayloadVersion</key>\n  <integer>1</integer>\n");
        sb.Append("</dict>\n</plist>\n");
        return sb.ToString();
    }

    /// <summary>Writes the private key as PKCS#8 PEM, file mode 0600 from creation (no window where others can read it).</summary>
    public void ExportPrivateKeyPem(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write(Key.ExportPkcs8PrivateKeyPem());
    }

    // Deterministic per CA so re-exporting the same CA replaces rather than duplicates the profile on a device. RFC 4122
    // name-based version 5 (SHA-1 over a namespace and the name; SHA-1 here only spreads names, it protects nothing),
    // upper-case as Apple's tools write them.
    private static readonly Guid ProfileNamespace = new("6f2a1c7e-5a1b-4c1e-9d2e-6d7374677465");

    private static string UuidFrom(string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetByteCount(name)];
        ProfileNamespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input[16..]);
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // variant 10xx (RFC 4122)
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D").ToUpperInvariant();
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
