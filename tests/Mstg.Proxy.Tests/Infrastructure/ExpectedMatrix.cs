using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;

namespace Mstg.Proxy.Tests.Infrastructure;

/// <summary>
/// What each real client must do under each condition, and how the proxy must see it.
/// Alert = the TLS alert code recorded (client-sent unless <see cref="ProxySent"/>); PostHandshake = the client
/// completed the handshake and then left without a request (its certificate check runs after the handshake).
/// </summary>
public sealed record Expectation(bool Accepts, ConnectionOutcome Outcome, int? Alert = null, bool PostHandshake = false, bool ProxySent = false);

public static class ExpectedMatrix
{
    public static readonly string[] Conditions =
        ["passthrough", "trusted-ca", "untrusted-ca", "self-signed", "wrong-host", "expired", "weak-key", "sha1-signature", "tls10-only", "tls11-only", "no-forward-secrecy"];

    private static readonly Expectation A = new(true, ConnectionOutcome.Accepted);
    private static readonly Expectation T = new(true, ConnectionOutcome.Tunnelled);
    private static readonly Expectation Post = new(false, ConnectionOutcome.Refused, PostHandshake: true);
    private static Expectation R(int alert) => new(false, ConnectionOutcome.Refused, alert);
    private static Expectation ProxyAlert(int alert) => new(false, ConnectionOutcome.Refused, alert, ProxySent: true);

    // Columns: CurlDeviceTrust, CurlDefaultTrust, CurlInsecure, CurlPinned, OpenSslVerify, DotNetHttpClient.
    // Why the less obvious cells are what they are (Debian 12: curl 7.88 + OpenSSL 3.0 at SECLEVEL 2; .NET 10):
    // - curl checks the host name and the pin after the handshake, so wrong-host and pins end in a close, no alert;
    //   s_client -verify_hostname checks during the handshake and sends bad_certificate (42).
    // - .NET's SslStream validates the certificate after the TLS 1.3 handshake: refusals are post-handshake closes,
    //   and it does not enforce key size or SHA-1 (weak-key, sha1-signature accepted), and offers no RSA
    //   key-exchange or TLS 1.0-usable suite, so the proxy itself fails those handshakes with handshake_failure (40).
    // - OpenSSL clients negotiate TLS 1.0/1.1 and then reject the SHA-1/MD5 ServerKeyExchange signature at SECLEVEL 2
    //   ("legacy sigalg disallowed"): alert internal_error (80). With only the origin CA trusted they stop earlier, at
    //   the certificate (unknown_ca 48).
    // - ATS would refuse no-forward-secrecy, weak-key and sha1-signature; these desktop clients partly accept them,
    //   which is exactly why the ClientHello summary (offersOnlyForwardSecret) is recorded too.
    private static readonly Dictionary<string, Expectation[]> Table = new()
    {
        ["passthrough"] =        [T, T, T, T, T, T],
        ["trusted-ca"] =         [A, R(48), A, Post, A, A],
        ["untrusted-ca"] =       [R(48), R(48), A, R(48), R(48), Post],
        ["self-signed"] =        [R(48), R(48), A, R(48), R(48), Post],
        ["wrong-host"] =         [Post, R(48), A, Post, R(42), Post],
        ["expired"] =            [R(45), R(48), A, R(45), R(45), Post],
        ["weak-key"] =           [R(42), R(42), A, R(42), R(42), A],
        ["sha1-signature"] =     [R(42), R(48), A, R(42), R(42), A],
        ["tls10-only"] =         [R(80), R(48), R(80), R(80), R(80), ProxyAlert(40)],
        ["tls11-only"] =         [R(80), R(48), R(80), R(80), R(80), ProxyAlert(40)],
        ["no-forward-secrecy"] = [A, R(48), A, Post, A, ProxyAlert(40)],
    };

    private static readonly RealClient[] Columns =
        [RealClient.CurlDeviceTrust, RealClient.CurlDefaultTrust, RealClient.CurlInsecure, RealClient.CurlPinned, RealClient.OpenSslVerify, RealClient.DotNetHttpClient];

    public static Expectation For(CertificateCondition condition, RealClient client) =>
        Table[condition.ToName()][Array.IndexOf(Columns, client)];
}
