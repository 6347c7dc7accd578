using System.Security.Cryptography.X509Certificates;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>The run CA and every condition's leaf, checked with openssl as the oracle.</summary>
public sealed class CertificateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mstg-cert-").FullName;
    private readonly RunCertificateAuthority _ca = RunCertificateAuthority.Create("test run CA", ["*.example.com"]);
    private readonly LeafCertificateFactory _leaves;

    public CertificateTests() => _leaves = new LeafCertificateFactory(_ca);

    private string Write(string name, X509Certificate2 cert)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, cert.ExportCertificatePem() + "\n");
        return path;
    }

    private Task<ToolResult> VerifyAsync(X509Certificate2 leaf, params string[] extra) =>
        ExternalTool.RunAsync("openssl", ["verify", "-CAfile", Write("ca.pem", _ca.Certificate), .. extra, Write("leaf.pem", leaf)]);

    private async Task<string> TextAsync(X509Certificate2 cert) =>
        (await ExternalTool.RunAsync("openssl", ["x509", "-noout", "-text", "-in", Write("x.pem", cert)])).Stdout;

    [Fact]
    public async Task Trusted_ca_leaf_verifies_for_its_host()
    {
        var r = await VerifyAsync(_leaves.GetLeaf("api.example.com", CertificateCondition.TrustedCa), "-verify_hostname", "api.example.com");
        r.ExitCode.Should().Be(0, r.ToString());
    }

    [Fact]
    public async Task Name_constraints_stop_the_ca_from_vouching_outside_the_scope()
    {
        var constraint = _ca.Certificate.Extensions.Single(e => e.Oid!.Value == NameConstraintsExtension.Oid);
        constraint.Critical.Should().BeTrue();
        NameConstraintsExtension.ReadPermittedDnsNames(constraint).Should().Equal("example.com");
        (await TextAsync(_ca.Certificate)).Should().Contain("Permitted:").And.Contain("DNS:example.com");
        var outside = await VerifyAsync(_leaves.GetLeaf("bank.example.org", CertificateCondition.TrustedCa));
        outside.ExitCode.Should().NotBe(0);
        outside.ToString().Should().Contain("permitted subtree violation");
    }

    [Fact]
    public async Task Unscoped_ca_has_no_name_constraints()
    {
        using var ca = RunCertificateAuthority.Create("free CA");
        ca.Certificate.Extensions.Should().NotContain(e => e.Oid!.Value == NameConstraintsExtension.Oid);
        ca.Certificate.NotAfter.Should().BeBefore(DateTime.Now.AddDays(1.1)).And.BeAfter(DateTime.Now.AddHours(20));
        (await TextAsync(ca.Certificate)).Should().Contain("CA:TRUE");
    }

    [Fact]
    public async Task Expired_leaf_is_reported_expired()
    {
        var r = await VerifyAsync(_leaves.GetLeaf("api.example.com", CertificateCondition.Expired));
        r.ExitCode.Should().NotBe(0);
        r.ToString().Should().Contain("certificate has expired");
    }

    [Fact]
    public async Task Wrong_host_leaf_chains_to_the_ca_but_names_another_host()
    {
        var leaf = _leaves.GetLeaf("api.example.com", CertificateCondition.WrongHost);
        (await VerifyAsync(leaf)).ExitCode.Should().Be(0, "the chain itself is fine");
        var r = await VerifyAsync(leaf, "-verify_hostname", "api.example.com");
        r.ExitCode.Should().NotBe(0);
        r.ToString().Should().Contain("hostname mismatch");
    }

    [Fact]
    public async Task Untrusted_ca_and_self_signed_leaves_do_not_chain_to_the_run_ca()
    {
        foreach (var condition in new[] { CertificateCondition.UntrustedCa, CertificateCondition.SelfSigned })
        {
            var r = await VerifyAsync(_leaves.GetLeaf("api.example.com", condition));
            r.ExitCode.Should().NotBe(0, condition.ToString());
            r.ToString().Should().MatchRegex("unable to get local issuer|self-signed certificate", condition.ToString());
        }
    }

    [Fact]
    public async Task Weak_key_and_sha1_leaves_have_exactly_that_weakness()
    {
        var weak = await TextAsync(_leaves.GetLeaf("api.example.com", CertificateCondition.WeakKey));
        weak.Should().Contain("Public-Key: (1024 bit)").And.Contain("sha256WithRSAEncryption");
        var sha1 = await TextAsync(_leaves.GetLeaf("api.example.com", CertificateCondition.Sha1Signature));
        sha1.Should().Contain("Signature Algorithm: sha1WithRSAEncryption").And.Contain("Public-Key: (2048 bit)");
        // Under SECLEVEL 0 the SHA-1 signature itself is valid: the CA really signed it.
        var r = await VerifyAsync(_leaves.GetLeaf("api.example.com", CertificateCondition.Sha1Signature), "-auth_level", "0");
        r.ExitCode.Should().Be(0, r.ToString());
    }

    [Fact]
    public void Leaves_are_cached_per_host_and_condition()
    {
        var a = _leaves.GetLeaf("a.example.com", CertificateCondition.TrustedCa);
        _leaves.GetLeaf("a.example.com", CertificateCondition.TrustedCa).Should().BeSameAs(a);
        _leaves.GetLeaf("a.example.com", CertificateCondition.Expired).Should().NotBeSameAs(a);
        _leaves.GetLeaf("b.example.com", CertificateCondition.TrustedCa).Thumbprint.Should().NotBe(a.Thumbprint);
    }

    [Fact]
    public async Task Exports_pem_der_and_mobileconfig_that_tools_read()
    {
        var pem = Path.Combine(_dir, "ca.pem");
        await File.WriteAllTextAsync(pem, _ca.ExportCertificatePem());
        var der = Path.Combine(_dir, "ca.der");
        await File.WriteAllBytesAsync(der, _ca.ExportCertificateDer());
        var fromPem = await ExternalTool.RunAsync("openssl", ["x509", "-noout", "-fingerprint", "-sha1", "-in", pem]);
        var fromDer = await ExternalTool.RunAsync("openssl", ["x509", "-noout", "-fingerprint", "-sha1", "-inform", "DER", "-in", der]);
        fromPem.Stdout.Replace(":", "").Should().Contain(_ca.Certificate.Thumbprint);
        fromDer.Stdout.Should().Be(fromPem.Stdout);

        var profile = Path.Combine(_dir, "ca.mobileconfig");
        await File.WriteAllTextAsync(profile, _ca.ExportMobileConfig());
        // plistutil (libplist) must accept it: convert to binary and back, then read the normalised XML.
        var bin = Path.Combine(_dir, "ca.bplist");
        (await ExternalTool.RunAsync("plistutil", ["-i", profile, "-o", bin, "-f", "bin"])).ExitCode.Should().Be(0);
        var xml = await ExternalTool.RunAsync("plistutil", ["-i", bin, "-f", "xml"]);
        xml.ExitCode.Should().Be(0, xml.ToString());
        var root = System.Xml.Linq.XDocument.Parse(xml.Stdout).Root!.Element("dict")!;
        static string? ValueOf(System.Xml.Linq.XElement dict, string key) =>
            dict.Elements("key").FirstOrDefault(k => k.Value == key)?.ElementsAfterSelf().First().Value;
        ValueOf(root, "PayloadType").Should().Be("Configuration");
        var payload = root.Elements("key").First(k => k.Value == "PayloadContent").ElementsAfterSelf().First().Element("dict")!;
        ValueOf(payload, "PayloadType").Should().Be("com.apple.security.root");
        Convert.FromBase64String(string.Concat(ValueOf(payload, "PayloadContent")!.Where(c => !char.IsWhiteSpace(c))))
            .Should().Equal(_ca.ExportCertificateDer());

        // UUIDs in RFC 4122 form (version 5, variant 10xx, upper-case as Apple writes them), one per payload, and the
        // same on every export of this CA so a device replaces the profile instead of keeping two.
        var uuids = new[] { ValueOf(root, "PayloadUUID")!, ValueOf(payload, "PayloadUUID")! };
        uuids.Should().OnlyContain(u => System.Text.RegularExpressions.Regex.IsMatch(u,
            "^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$")).And.OnlyHaveUniqueItems();
        _ca.ExportMobileConfig().Should().Contain(uuids[0]).And.Contain(uuids[1]);
        using var other = RunCertificateAuthority.Create("another CA", []);
        other.ExportMobileConfig().Should().NotContain(uuids[0]).And.NotContain(uuids[1]);
    }

    [Fact]
    public void Private_key_is_written_only_on_request_with_mode_0600_and_never_over_a_file()
    {
        Directory.GetFiles(_dir).Should().BeEmpty("creating a CA writes nothing");
        var key = Path.Combine(_dir, "ca.key");
        _ca.ExportPrivateKeyPem(key);
        File.GetUnixFileMode(key).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.ReadAllText(key).Should().StartWith("-----BEGIN PRIVATE KEY-----");
        var again = () => _ca.ExportPrivateKeyPem(key);
        again.Should().Throw<IOException>();
        var cert = Path.Combine(_dir, "ca.pem");
        File.WriteAllText(cert, _ca.ExportCertificatePem());
        using var loaded = RunCertificateAuthority.Load(cert, key);
        loaded.Certificate.Thumbprint.Should().Be(_ca.Certificate.Thumbprint);
        loaded.PermittedDnsNames.Should().Equal("example.com");
    }

    [Fact]
    public void Loading_a_missing_or_bad_ca_gives_a_typed_error()
    {
        var bad = Path.Combine(_dir, "bad.pem");
        File.WriteAllText(bad, "not a pem");
        var load = () => RunCertificateAuthority.Load(bad, bad);
        load.Should().Throw<MstgInputException>().Which.Source.Should().Be(bad);
    }

    [Theory]
    [InlineData("*.example.com", "example.com")]
    [InlineData("api.example.com", "api.example.com")]
    [InlineData("api-*.example.com", "example.com")]
    [InlineData("*", null)]
    [InlineData("*.com", null)]
    public void Scope_globs_become_dns_subtrees(string glob, string? subtree) =>
        NameConstraintsExtension.SubtreeForGlob(glob).Should().Be(subtree);

    public void Dispose()
    {
        _leaves.Dispose();
        _ca.Dispose();
        Directory.Delete(_dir, true);
    }
}
