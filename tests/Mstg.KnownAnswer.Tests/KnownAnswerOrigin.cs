using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mstg.Fixtures.Proxy;

namespace Mstg.KnownAnswer.Tests;

/// <summary>
/// The reference backend of the known-answer runs: a real HTTPS origin on loopback playing api.mstg-ref.test with a
/// certificate from its own root, that root as a PEM file (what the reference apps trust), and the SPKI pin of its key
/// (what a pinning app carries). SEAM: fixtures/Mstg.ReferenceTargets' Kestrel backend replaces it after issue 11 merges.
/// </summary>
public sealed class KnownAnswerOrigin : IAsyncLifetime
{
    public const string Host = "api.mstg-ref.test";

    public TestOrigin Origin { get; } = new(Host);
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("mstg-known-answer-").FullName;
    public string RootPem => Path.Combine(Directory, "origin-ca.pem");
    public string Pin { get; private set; } = "";
    public string Address => $"127.0.0.1:{Origin.Port}";

    public async ValueTask InitializeAsync()
    {
        Origin.WriteCaPem(Directory);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, Origin.Port);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(Host);
        using var cert = new X509Certificate2(ssl.RemoteCertificate!);
        Pin = "sha256//" + Convert.ToBase64String(SHA256.HashData(cert.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    public async ValueTask DisposeAsync()
    {
        await Origin.DisposeAsync();
        System.IO.Directory.Delete(Directory, true);
    }
}
