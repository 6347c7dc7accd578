using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Mstg.Fixtures;
using Mstg.Proxy.Certificates;

namespace Mstg.Proxy.Tests;

/// <summary>
/// The condition table is the one source of what a condition means: every enum member has one row, the leaves and
/// TLS options the proxy really builds are the ones the rows describe, docs/proxy.md shows the same rows, and the
/// measured client matrix agrees with what the rows say an ATS client must do, except in the listed cells.
/// </summary>
public sealed class ConditionCatalogTests : IDisposable
{
    private const string Host = "api.example.com";
    private readonly RunCertificateAuthority _ca = RunCertificateAuthority.Create("catalog test CA", ["*.example.com"]);
    private readonly LeafCertificateFactory _leaves;

    public ConditionCatalogTests() => _leaves = new LeafCertificateFactory(_ca);

    public void Dispose()
    {
        _leaves.Dispose();
        _ca.Dispose();
    }

    public static TheoryData<string> Intercepting() => new(ConditionCatalog.Conditions.Where(d => d.Intercepts).Select(d => d.Name));

    [Fact]
    public void Every_condition_has_exactly_one_row_with_a_stable_unique_name()
    {
        ConditionCatalog.Conditions.Select(d => d.Condition).Should().BeEquivalentTo(Enum.GetValues<CertificateCondition>());
        ConditionCatalog.Conditions.Select(d => d.Name).Should().OnlyHaveUniqueItems().And.OnlyContain(n => Regex.IsMatch(n, "^[a-z0-9]+(-[a-z0-9]+)*$"));
        foreach (var d in ConditionCatalog.Conditions)
        {
            CertificateConditions.Parse(d.Name).Should().Be(d.Condition);
            d.Condition.ToName().Should().Be(d.Name);
            d.Requirement.Should().BeOneOf(ConditionCatalog.Network1, ConditionCatalog.Network2, ConditionCatalog.Network3, ConditionCatalog.Network4);
            d.Explanation.Should().NotBeNullOrWhiteSpace().And.NotContain("\n");
            (d.AtsClient == AtsClientExpectation.Observe).Should().Be(!d.Intercepts, $"{d.Name}: only a condition that presents nothing merely observes");
        }
        // The names are part of the contract (events, command line, generated test names): renaming one is a breaking change.
        CertificateConditions.Names.Should().Equal("passthrough", "trusted-ca", "untrusted-ca", "self-signed", "wrong-host", "expired",
            "weak-key", "sha1-signature", "tls10-only", "tls11-only", "no-forward-secrecy");
    }

    [Fact]
    public void What_an_ats_client_must_do_depends_on_pinning_only_for_trusted_ca()
    {
        ConditionCatalog.MustRefuse(pinningRequired: true).Select(d => d.Condition)
            .Should().BeEquivalentTo(Enum.GetValues<CertificateCondition>().Except([CertificateCondition.Passthrough]));
        ConditionCatalog.MustRefuse(pinningRequired: false).Select(d => d.Condition)
            .Should().BeEquivalentTo(Enum.GetValues<CertificateCondition>().Except([CertificateCondition.Passthrough, CertificateCondition.TrustedCa]));
        ConditionCatalog.Probing(ConditionCatalog.Network4).Select(d => d.Name).Should().Equal("trusted-ca");
        ConditionCatalog.Probing(ConditionCatalog.Network3).Select(d => d.Name).Should().Equal("untrusted-ca", "self-signed", "wrong-host", "expired");
    }

    [Theory]
    [MemberData(nameof(Intercepting))]
    public void The_leaf_built_is_the_leaf_the_row_describes(string name)
    {
        var d = ConditionCatalog.For(CertificateConditions.Parse(name));
        var spec = d.Leaf!;
        var leaf = _leaves.GetLeaf(Host, d.Condition);

        var issuerIsSelf = leaf.IssuerName.RawData.AsSpan().SequenceEqual(leaf.SubjectName.RawData);
        var issuerIsRunCa = leaf.IssuerName.RawData.AsSpan().SequenceEqual(_ca.Certificate.SubjectName.RawData);
        (spec.Issuer switch { LeafIssuer.Self => issuerIsSelf, LeafIssuer.RunCa => issuerIsRunCa, _ => !issuerIsSelf && !issuerIsRunCa })
            .Should().BeTrue($"{name} is issued by {spec.Issuer}; leaf issuer {leaf.Issuer}");

        (leaf.NotAfter.ToUniversalTime() < DateTime.UtcNow).Should().Be(spec.Validity == LeafValidity.Expired, $"{name} validity {spec.Validity}");

        using (var rsa = leaf.GetRSAPublicKey())
        using (var ec = leaf.GetECDsaPublicKey())
        {
            var key = rsa is not null ? $"RSA-{rsa.KeySize}" : ec is not null ? $"EC-{ec.KeySize}" : "?";
            key.Should().Be(spec.Key switch { LeafKey.Rsa1024 => "RSA-1024", LeafKey.Rsa2048 => "RSA-2048", _ => "EC-256" }, name);
        }

        var signature = leaf.SignatureAlgorithm.Value;
        var sha1 = signature is "1.2.840.113549.1.1.5" or "1.2.840.10045.4.1"; // sha1WithRSAEncryption, ecdsa-with-SHA1
        sha1.Should().Be(spec.Signature == LeafSignature.Sha1, $"{name} signed with {leaf.SignatureAlgorithm.FriendlyName}");

        var names = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToList();
        names.Should().Equal(spec.HostName == LeafHostName.WrongHost ? LeafCertificateFactory.WrongHostNameFor(Host) : Host);
    }

    [Fact]
    public void Passthrough_presents_no_certificate()
    {
        ConditionCatalog.For(CertificateCondition.Passthrough).Leaf.Should().BeNull();
        var act = () => _leaves.GetLeaf(Host, CertificateCondition.Passthrough);
        act.Should().Throw<InvalidOperationException>().WithMessage("*passthrough presents no certificate*");
    }

    [Fact]
    public void The_tls_options_are_the_ones_the_rows_describe()
    {
        foreach (var d in ConditionCatalog.Conditions.Where(d => d.Intercepts))
        {
            var options = ConditionTlsOptions.For(d.Condition, _leaves.GetContext(Host, d.Condition));
            options.EnabledSslProtocols.Should().Be(d.Tls.Protocols, d.Name);
            (options.CipherSuitesPolicy is not null).Should().Be(d.Tls.Ciphers == CipherPolicy.RsaKeyExchangeOnly, d.Name);
            options.CipherSuitesPolicy?.AllowedCipherSuites.Should().OnlyContain(s => s.ToString().StartsWith("TLS_RSA_WITH_"), d.Name);
            options.ApplicationProtocols.Should().Equal(SslApplicationProtocol.Http11);
        }
    }

    /// <summary>
    /// The conditions whose handshake a process under Debian's default OpenSSL cannot complete are exactly the rows
    /// marked as needing the relaxed child: a real in-process handshake per condition decides (LegacyOpenSslTests
    /// shows which side's check refuses each).
    /// </summary>
    [Fact]
    public async Task The_rows_that_need_relaxed_openssl_are_the_ones_a_default_openssl_process_cannot_complete()
    {
        if (Mstg.Tls.LegacyOpenSsl.IsActive) Assert.Skip("this test process already runs with a relaxed OPENSSL_CONF");
        foreach (var d in ConditionCatalog.Conditions.Where(d => d.Intercepts))
        {
            var served = await HandshakeAsync(d);
            served.Should().Be(!d.NeedsLegacyOpenSsl, $"{d.Name}: relaxed OpenSSL {(d.NeedsLegacyOpenSsl ? "needed" : "not needed")} per the catalog");
        }
    }

    /// <summary>An in-process server with the condition's leaf and options against a permissive client offering what the row needs.</summary>
    private async Task<bool> HandshakeAsync(ConditionDescriptor d)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new System.Net.Sockets.TcpClient();
        var connect = client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        using var server = await listener.AcceptTcpClientAsync();
        await connect;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var serverTls = new SslStream(server.GetStream());
        await using var clientTls = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
        var serverSide = serverTls.AuthenticateAsServerAsync(ConditionTlsOptions.For(d.Condition, _leaves.GetContext(Host, d.Condition)), timeout.Token);
#pragma warning disable SYSLIB0039 // the client offers what the row asks for, so only the server's side decides
        var clientSide = clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = Host,
            EnabledSslProtocols = d.Tls.Protocols == SslProtocols.None ? SslProtocols.None : d.Tls.Protocols,
            // .NET offers no static-RSA suite unless asked to.
            CipherSuitesPolicy = d.Tls.Ciphers == CipherPolicy.RsaKeyExchangeOnly ? new CipherSuitesPolicy([TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384]) : null,
        }, timeout.Token);
#pragma warning restore SYSLIB0039
        try
        {
            await Task.WhenAll(serverSide, clientSide);
            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [Fact]
    public void The_docs_condition_table_shows_the_catalog()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryLayout.Docs, "proxy.md"));
        var section = text[text.IndexOf("\n## Conditions\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)];
        var rows = section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray()).ToList();
        var expected = ConditionCatalog.Conditions.Select(d => new[]
        {
            $"`{d.Name}`", d.Presents, Tls(d.Tls), d.NeedsLegacyOpenSsl ? "yes" : "no", d.Requirement, Ats(d.AtsClient),
        }).ToList();
        rows.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering(),
            "docs/proxy.md's condition table must show ConditionCatalog's rows; expected:\n" + string.Join("\n", expected.Select(r => "| " + string.Join(" | ", r) + " |")));
    }

    /// <summary>How the docs table writes a row's TLS options.</summary>
    public static string Tls(ConditionTls tls)
    {
#pragma warning disable SYSLIB0039
        var protocols = tls.Protocols switch
        {
            SslProtocols.None => "default (TLS 1.2, 1.3)",
            SslProtocols.Tls => "TLS 1.0 only",
            SslProtocols.Tls11 => "TLS 1.1 only",
            SslProtocols.Tls12 => "TLS 1.2 only",
            var p => p.ToString(),
        };
#pragma warning restore SYSLIB0039
        return tls.Ciphers == CipherPolicy.RsaKeyExchangeOnly ? protocols + ", TLS_RSA_* suites only" : protocols;
    }

    public static string Ats(AtsClientExpectation expectation) => expectation switch
    {
        AtsClientExpectation.Observe => "nothing to refuse (observed)",
        AtsClientExpectation.AcceptUnlessPinned => "accept; refuse only when pinning is required (L2)",
        _ => "refuse",
    };

    /// <summary>
    /// The measured matrix against the table: a real client standing in for an ATS client does what the table says
    /// such a client must, except in the cells <see cref="ExpectedMatrix.DeviationsFromAts"/> lists, and every
    /// listed cell really deviates (so the list cannot go stale).
    /// </summary>
    [Fact]
    public void The_client_matrix_agrees_with_the_table_except_in_the_listed_cells()
    {
        var found = new List<(CertificateCondition, RealClient)>();
        foreach (var d in ConditionCatalog.Conditions)
            foreach (var client in Enum.GetValues<RealClient>())
                if (ExpectedMatrix.AtsAccepts(d.Condition, client) is { } atsAccepts && ExpectedMatrix.For(d.Condition, client).Accepts != atsAccepts)
                    found.Add((d.Condition, client));
        found.Should().BeEquivalentTo(ExpectedMatrix.DeviationsFromAts.Keys);
        ExpectedMatrix.DeviationsFromAts.Keys.Should().OnlyContain(k => ExpectedMatrix.For(k.Item1, k.Item2).Accepts,
            "a deviation is a client accepting what ATS refuses");
    }
}
