using System.Net.Security;

namespace Mstg.Tls;

/// <summary>
/// Ends a TLS connection with close_notify before the socket closes. Without it strict clients (gnutls-cli,
/// openssl s_client, many TLS stacks) cannot tell a complete response from a truncation attack and report an error.
/// </summary>
public static class TlsClose
{
    /// <summary>A peer that does not read may leave the alert unsent; closing must not wait longer than this for it.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    public static async Task SendCloseNotifyAsync(Stream stream)
    {
        if (stream is not SslStream { IsAuthenticated: true } ssl) return;
        try
        {
            await ssl.ShutdownAsync().WaitAsync(Limit).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or TimeoutException
                                      or NotSupportedException or System.Security.Authentication.AuthenticationException)
        {
            // The peer is already gone or the stream already failed: there is nobody left to tell.
        }
    }
}
