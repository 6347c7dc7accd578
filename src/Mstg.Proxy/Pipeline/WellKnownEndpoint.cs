using System.Text;
using Mstg.Proxy.Http;

namespace Mstg.Proxy.Pipeline;

/// <summary>
/// http://mstg.proxy/ answered by the proxy itself, so a tester on a device can install the run CA by browsing
/// to it through the proxy. Only the public certificate is ever served.
/// </summary>
internal static class WellKnownEndpoint
{
    public static async Task<bool> TryServeAsync(ProxyContext ctx, Stream stream, HttpRequestHead head, string host, CancellationToken ct)
    {
        if (!host.Equals(ctx.Options.WellKnownHost, StringComparison.OrdinalIgnoreCase)) return false;
        var path = head.Target.Split('?')[0];
        switch (path)
        {
            case "/ca.pem":
                await Send(stream, ctx.Ca.ExportCertificatePem(), "application/x-pem-file", ct).ConfigureAwait(false);
                break;
            case "/ca.der" or "/ca.cer" or "/ca.crt":
                await SendBytes(stream, ctx.Ca.ExportCertificateDer(), "application/x-x509-ca-cert", ct).ConfigureAwait(false);
                break;
            case "/ca.mobileconfig":
                await Send(stream, ctx.Ca.ExportMobileConfig(), "application/x-apple-aspen-config", ct).ConfigureAwait(false);
                break;
            case "/":
                await Send(stream, "<html><body><h1>MstgTests proxy</h1><ul><li><a href=\"/ca.mobileconfig\">iOS profile</a></li>" +
                    "<li><a href=\"/ca.pem\">ca.pem</a></li><li><a href=\"/ca.der\">ca.der</a></li></ul>" +
                    $"<p>Condition: {ctx.Condition.Current}</p></body></html>", "text/html; charset=utf-8", ct).ConfigureAwait(false);
                break;
            default:
                await HttpExchangeLoop.WriteSimpleAsync(stream, 404, "Not Found", "not found\n", ct).ConfigureAwait(false);
                break;
        }
        return true;
    }

    private static Task Send(Stream s, string body, string type, CancellationToken ct) => SendBytes(s, Encoding.UTF8.GetBytes(body), type, ct);

    private static async Task SendBytes(Stream s, byte[] body, string type, CancellationToken ct)
    {
        var head = Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\n\r\n");
        await s.WriteAsync(HttpExchangeLoop.Concat(head, body), ct).ConfigureAwait(false);
        await s.FlushAsync(ct).ConfigureAwait(false);
    }
}
