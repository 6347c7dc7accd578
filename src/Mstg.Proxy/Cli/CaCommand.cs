using System.Net.Http;
using Mstg.Proxy.Certificates;

namespace Mstg.Proxy.Cli;

/// <summary>
/// `mstg ca export --format pem|der|mobileconfig`. Either fetches the CA of a running proxy (--from-proxy
/// 127.0.0.1:8080, through its well-known host) or creates a fresh CA; a fresh CA's key is written only with
/// --key-out (mode 0600) so `mstg proxy --ca-cert/--ca-key` can reuse it.
/// </summary>
public sealed record CaExportOptions
{
    public string Format { get; init; } = "pem";
    public string? Out { get; init; }
    public string? FromProxy { get; init; }
    public IReadOnlyList<string> Scope { get; init; } = [];
    public string? KeyOut { get; init; }
    public string? CaCert { get; init; }
    public string? CaKey { get; init; }
    /// <summary>Lifetime of a new CA in days: 1 (a run) unless a device that cannot re-trust every day needs longer.</summary>
    public int ValidDays { get; init; } = 1;

    /// <summary>The longest a new CA may live: a device root nobody revokes should not outlive a quarter.</summary>
    public const int MaxValidDays = 90;
}

public static class CaCommand
{
    /// <summary><c>mstg ca export</c> with its options parsed by <c>mstg</c> (System.CommandLine).</summary>
    public static async Task<int> ExportAsync(CaExportOptions o, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        try
        {
            var format = o.Format;
            if (format is not ("pem" or "der" or "mobileconfig"))
                throw new MstgInputException("command line", "--format", $"'{format}' is not pem, der or mobileconfig");
            byte[] output;
            if (o.FromProxy is { } proxy)
            {
                using var http = new HttpClient(new HttpClientHandler { Proxy = new System.Net.WebProxy($"http://{proxy}"), UseProxy = true });
                var name = format == "der" ? "ca.der" : format == "mobileconfig" ? "ca.mobileconfig" : "ca.pem";
                output = await http.GetByteArrayAsync($"http://mstg.proxy/{name}", ct);
            }
            else
            {
                // A fresh CA whose key is thrown away can never sign a leaf: a device that trusts it gains nothing and
                // keeps a root nobody controls. Only export one whose key is kept (or an existing CA).
                if (o.ValidDays is < 1 or > CaExportOptions.MaxValidDays)
                    throw new MstgInputException("command line", "--valid-days", $"{o.ValidDays} is not between 1 and {CaExportOptions.MaxValidDays}");
                if (o.CaCert is null && o.KeyOut is null)
                    throw new MstgInputException("command line", "ca export",
                        "no CA to export: pass --from-proxy HOST:PORT (a running proxy's CA), --ca-cert/--ca-key (a saved CA), " +
                        "or --key-out FILE to create a new CA and keep its key for `mstg proxy --ca-cert/--ca-key`");
                using var ca = o.CaCert is { } certPath
                    ? RunCertificateAuthority.Load(certPath, o.CaKey ?? throw new MstgInputException("command line", "--ca-key", "required with --ca-cert"))
                    : RunCertificateAuthority.Create($"MstgTests run CA {DateTime.UtcNow:yyyy-MM-dd HH:mm}", o.Scope.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                        lifetime: TimeSpan.FromDays(o.ValidDays));
                if (o.KeyOut is { } keyOut) ca.ExportPrivateKeyPem(keyOut);
                output = format switch
                {
                    "der" => ca.ExportCertificateDer(),
                    "mobileconfig" => System.Text.Encoding.UTF8.GetBytes(ca.ExportMobileConfig()),
                    _ => System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem()),
                };
            }
            if (o.Out is { } outPath) await File.WriteAllBytesAsync(outPath, output, ct);
            else if (format == "der") await stderr.WriteLineAsync("mstg ca export: DER is binary; use --out FILE");
            else await stdout.WriteAsync(System.Text.Encoding.UTF8.GetString(output));
            return format == "der" && o.Out is null ? ExitCodes.Usage : ExitCodes.Ok;
        }
        catch (MstgInputException e)
        {
            await stderr.WriteLineAsync($"mstg ca export: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"mstg ca export: {e.Message}");
            return ExitCodes.RuleFailed;
        }
    }
}
