using System.Net.Security;
using System.Security.Authentication;

namespace Mstg.Proxy.Certificates;

/// <summary>Server-side TLS settings each condition asks for, on top of the certificate it presents.</summary>
public static class ConditionTlsOptions
{
    public static SslServerAuthenticationOptions For(CertificateCondition condition, SslStreamCertificateContext context)
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            ClientCertificateRequired = false,
            // Intercepted flows are spoken as HTTP/1.1 only: that is what the recorder parses.
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 are the point of these conditions.
        switch (condition)
        {
            case CertificateCondition.Tls10Only:
                options.EnabledSslProtocols = SslProtocols.Tls;
                break;
            case CertificateCondition.Tls11Only:
                options.EnabledSslProtocols = SslProtocols.Tls11;
                break;
            case CertificateCondition.NoForwardSecrecy:
                // TLS 1.3 always has forward secrecy, so stop at 1.2 and offer only RSA key-exchange suites.
                options.EnabledSslProtocols = SslProtocols.Tls12;
                if (!OperatingSystem.IsWindows()) options.CipherSuitesPolicy = new CipherSuitesPolicy([
                    TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
                    TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
                    TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
                    TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
                    TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
                ]);
                break;
            default:
                options.EnabledSslProtocols = SslProtocols.None; // OS default (TLS 1.2 and 1.3 on Debian)
                break;
        }
#pragma warning restore SYSLIB0039
        return options;
    }
}
