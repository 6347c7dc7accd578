using Mstg.Analysis.Rules;
using Mstg.Bundles;

namespace Mstg.Analysis.BundleFiles;

/// <summary>
/// BUNDLE-CLIENT-CERTIFICATE and BUNDLE-CERTIFICATE: certificate and key files shipped in the bundle. A .p12/.pfx or a
/// PEM private key is the same client identity on every install (warn); a .cer/.der/.pem/.crt is evidence of pinning or
/// custom trust (info), described by subject, expiry and SPKI SHA-256 so it can be matched against pins.
/// </summary>
public sealed class BundleFileRules : IBundleRule
{
    internal static readonly IReadOnlySet<string> ClientIdentityExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".p12", ".pfx" };
    internal static readonly IReadOnlySet<string> CertificateExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".cer", ".der", ".pem", ".crt", ".key" };

    public IEnumerable<Finding> Evaluate(BundleContext context)
    {
        var findings = new List<Finding>();
        var identities = 0;
        foreach (var file in context.Bundle.Files.Where(f => !f.IsSymlink))
        {
            if (ClientIdentityExtensions.Contains(file.Extension))
            {
                identities++;
                var bytes = TryRead(context, file, out var problem);
                var open = bytes is not null && CertificateInspector.OpensWithoutPassword(bytes);
                findings.Add(RuleFindings.Create(context, RuleCatalog.BundleClientCertificate, Verdict.Warn,
                    $"Client identity file {file.Name} is shipped in the bundle: every install carries the same private key, which anyone can extract " +
                    $"from the IPA{(open ? " — it opens without a password" : " together with the password hard-coded in the app")}. " +
                    "Provision client certificates per device (for example through enrolment) instead of bundling them.",
                    file.Path, problem ?? $"{file.Size} bytes{(open ? ", PKCS#12 opens with an empty password" : "")}"));
                continue;
            }
            if (!CertificateExtensions.Contains(file.Extension)) continue;

            var data = TryRead(context, file, out var readProblem);
            var contents = data is null ? null : CertificateInspector.Inspect(data);
            if (contents?.HasPrivateKey == true)
            {
                identities++;
                findings.Add(RuleFindings.Create(context, RuleCatalog.BundleClientCertificate, Verdict.Warn,
                    $"{file.Name} contains a private key shipped in the bundle; every install shares it and anyone can extract it. Do not bundle private keys.",
                    file.Path, "PEM block labelled PRIVATE KEY"));
            }
            if (contents is null || contents.Certificates.Count > 0 || !contents.HasPrivateKey)
                findings.Add(RuleFindings.Create(context, RuleCatalog.BundleCertificate, Verdict.Info,
                    $"Certificate file {file.Name} is shipped in the bundle: evidence of certificate pinning or a custom trust store. " +
                    "Check that the code which uses it still evaluates the chain and host name, and that pins have a backup and are not expired.",
                    file.Path,
                    readProblem ?? (contents!.Certificates.Count > 0
                        ? string.Join("\n", contents.Certificates.Select(c => c.Describe(context.Options.Now)))
                        : $"could not be parsed: {contents.Problem}")));
        }

        if (identities == 0 && context.Bundle.Files.Count > 0)
            findings.Add(RuleFindings.Create(context, RuleCatalog.BundleClientCertificate, Verdict.Pass,
                $"No .p12/.pfx identity or private key file in {context.Bundle.Name} ({context.Bundle.Files.Count} files).", context.Bundle.Path));
        return findings;
    }

    private static byte[]? TryRead(BundleContext context, BundleFile file, out string? problem)
    {
        problem = null;
        if (file.Size > CertificateInspector.MaxBytes) { problem = $"{file.Size} bytes, larger than the 1 MiB read for inspection"; return null; }
        try
        {
            using var stream = context.Package.Files.Open(file);
            using var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > CertificateInspector.MaxBytes) { problem = "larger than the 1 MiB read for inspection"; return null; }
            }
            return buffer.ToArray();
        }
        catch (MstgInputException e)
        {
            problem = "could not be read: " + e.Problem;
            return null;
        }
    }
}
