using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text;
using Mstg.Analysis.BundleFiles;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Tests.Binary.Support;

namespace Mstg.Analysis.Tests.BundleFiles;

public class BundleFileRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    private static X509Certificate2 Certificate(string subject, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(notAfter.AddYears(-2), notAfter);
    }

    private static string Spki(X509Certificate2 c) => Convert.ToBase64String(SHA256.HashData(c.PublicKey.ExportSubjectPublicKeyInfo()));

    private static IReadOnlyList<Finding> Run(Dictionary<string, byte[]> files) =>
        new BundleFileRules().Evaluate(ModelBuilder.Context(null, files, options: new ScanOptions { Now = Now })).ToList();

    [Fact]
    public void Der_certificate_is_described_with_subject_expiry_and_spki_hash()
    {
        using var cert = Certificate("CN=api.example.com", Now.AddYears(1));
        var findings = Run(new() { ["Payload/App.app/pin.cer"] = cert.RawData });
        var info = findings.Should().ContainSingle(f => f.RuleId == RuleCatalog.BundleCertificate).Subject;
        info.Verdict.Should().Be(Verdict.Info);
        info.Location.Should().Be("Payload/App.app/pin.cer");
        info.Evidence.Should().Contain("CN=api.example.com").And.Contain(Spki(cert)).And.NotContain("EXPIRED");
        findings.Should().ContainSingle(f => f.RuleId == RuleCatalog.BundleClientCertificate).Which.Verdict.Should().Be(Verdict.Pass);
    }

    [Fact]
    public void Pem_chain_lists_every_certificate_and_flags_expiry()
    {
        using var a = Certificate("CN=leaf", Now.AddDays(-1));
        using var b = Certificate("CN=backup", Now.AddYears(2));
        var pem = a.ExportCertificatePem() + "\n" + b.ExportCertificatePem();
        var info = Run(new() { ["Payload/App.app/certs/chain.pem"] = Encoding.ASCII.GetBytes(pem) })
            .Single(f => f.RuleId == RuleCatalog.BundleCertificate);
        info.Evidence!.Split('\n').Should().HaveCount(2);
        info.Evidence.Should().Contain("CN=leaf").And.Contain("(EXPIRED)").And.Contain(Spki(b));
    }

    [Fact]
    public void Pkcs12_without_password_is_a_client_certificate_warning()
    {
        using var cert = Certificate("CN=client", Now.AddYears(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=client", key, HashAlgorithmName.SHA256);
        using var withKey = request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(1));
        var p12 = withKey.Export(X509ContentType.Pkcs12, "");
        var findings = Run(new() { ["Payload/App.app/client.p12"] = p12 });
        var warn = findings.Should().ContainSingle(f => f.RuleId == RuleCatalog.BundleClientCertificate).Subject;
        warn.Verdict.Should().Be(Verdict.Warn);
        warn.Message.Should().Contain("opens without a password");
    }

    [Fact]
    public void Password_protected_pfx_warns_without_claiming_it_opens()
    {
        using var key = RSA.Create(2048);
        using var withKey = new CertificateRequest("CN=client", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(Now.AddYears(-1), Now.AddYears(1));
        var pfx = withKey.Export(X509ContentType.Pfx, "s3cret");
        var warn = Run(new() { ["Payload/App.app/id.pfx"] = pfx }).Single(f => f.RuleId == RuleCatalog.BundleClientCertificate);
        warn.Verdict.Should().Be(Verdict.Warn);
        warn.Message.Should().Contain("password hard-coded").And.NotContain("opens without");
    }

    [Fact]
    public void Pem_private_key_is_a_client_identity_warning()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var findings = Run(new() { ["Payload/App.app/tls.key"] = Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()) });
        findings.Should().ContainSingle(f => f.RuleId == RuleCatalog.BundleClientCertificate).Which.Verdict.Should().Be(Verdict.Warn);
        findings.Should().NotContain(f => f.RuleId == RuleCatalog.BundleCertificate);
    }

    [Fact]
    public void Garbage_cer_is_reported_as_unparsable_not_a_crash()
    {
        var info = Run(new() { ["Payload/App.app/broken.cer"] = [1, 2, 3, 4, 5] }).Single(f => f.RuleId == RuleCatalog.BundleCertificate);
        info.Evidence.Should().Contain("could not be parsed");
    }

    [Fact]
    public void Bundle_without_certificate_files_only_passes()
    {
        var findings = Run(new() { ["Payload/App.app/Info.plist"] = [0x3c], ["Payload/App.app/logo.png"] = [0x89] });
        findings.Should().ContainSingle().Which.Should().Match<Finding>(f => f.RuleId == RuleCatalog.BundleClientCertificate && f.Verdict == Verdict.Pass);
    }
}
