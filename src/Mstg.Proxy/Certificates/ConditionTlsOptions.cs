using System.Net.Security;

namespace Mstg.Proxy.Certificates;

/// <summary>Server-side TLS settings each condition asks for (<see cref="ConditionDescriptor.Tls"/>), on top of the certificate it presents.</summary>
public static class ConditionTlsOptions
{
    /// <summary>Static RSA key exchange only: no forward secrecy.</summary>
    private static readonly TlsCipherSuite[] RsaKeyExchange =
    [
        TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
        TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
    ];

    public static SslServerAuthenticationOptions For(CertificateCondition condition, SslStreamCertificateContext context)
    {
        var tls = ConditionCatalog.For(condition).Tls;
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            ClientCertificateRequired = false,
            // Intercepted flows are spoken as HTTP/1.1 only: that is what the recorder parses.
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            EnabledSslProtocols = tls.Protocols, // None = OS default (TLS 1.2 and 1.3 on Debian)
        };
        if (tls.Ciphers == CipherPolicy.RsaKeyExchangeOnly && !OperatingSystem.IsWindows())
            options.CipherSuitesPolicy = new CipherSuitesPolicy(RsaKeyExchange);
        return options;
    }
}
