using System.Net.Http;
using Mstg.Proxy.Certificates;

namespace Mstg.Proxy.Cli;

/// <summary>
/// `mstg ca export --format pem|der|mobileconfig`. Either fetches the CA of a running proxy (--from-proxy
/// 127.0.0.1:8080, through its well-known host) or creates a fresh CA; a fresh CA's key is written only with
/// --key-out (mode 0600) so `mstg proxy --ca-cert/--ca-key` can reuse it.
/// </summary>
public static class CaCommand
{
    private static readonly HashSet<string> ValueOptions = ["--format", "--out", "--from-proxy", "--scope", "--key-out", "--ca-cert", "--ca-key"];
    private static readonly HashSet<string> FlagOptions = ["--help"];

    public const string Usage = """
        usage: mstg ca export --format pem|der|mobileconfig [--out FILE]
                              [--from-proxy 127.0.0.1:8080 | --ca-cert ca.pem --ca-key ca.key | --scope '*.example.com' --key-out ca.key]
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (args is ["--help"] or ["-h"] or ["export", "--help"] or ["export", "-h"])
        {
            await stdout.WriteLineAsync(Usage);
            return 0;
        }
        if (args is not ["export", .. var rest])
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        try
        {
            var cli = new CliArguments(rest, ValueOptions, FlagOptions);
            if (cli.Flag("--help")) { await stdout.WriteLineAsync(Usage); return 0; }
            var format = cli.Value("--format") ?? "pem";
            if (format is not ("pem" or "der" or "mobileconfig"))
                throw new MstgInputException("command line", "--format", $"'{format}' is not pem, der or mobileconfig");
            byte[] output;
            if (cli.Value("--from-proxy") is { } proxy)
            {
                using var http = new HttpClient(new HttpClientHandler { Proxy = new System.Net.WebProxy($"http://{proxy}"), UseProxy = true });
                var name = format == "der" ? "ca.der" : format == "mobileconfig" ? "ca.mobileconfig" : "ca.pem";
                output = await http.GetByteArrayAsync($"http://mstg.proxy/{name}", ct);
            }
            else
            {
                // A fresh CA whose key is thrown away can never sign a leaf: a device that trusts it gains nothing and
                // keeps a root nobody controls. Only export one whose key is kept (or an existing CA).
                if (cli.Value("--ca-cert") is null && cli.Value("--key-out") is null)
                    throw new MstgInputException("command line", "ca export",
                        "no CA to export: pass --from-proxy HOST:PORT (a running proxy's CA), --ca-cert/--ca-key (a saved CA), " +
                        "or --key-out FILE to create a new CA and keep its key for `mstg proxy --ca-cert/--ca-key`");
                using var ca = cli.Value("--ca-cert") is { } certPath
                    ? RunCertificateAuthority.Load(certPath, cli.Value("--ca-key") ?? throw new MstgInputException("command line", "--ca-key", "required with --ca-cert"))
                    : RunCertificateAuthority.Create($"MstgTests run CA {DateTime.UtcNow:yyyy-MM-dd HH:mm}", cli.Values("--scope"));
                if (cli.Value("--key-out") is { } keyOut) ca.ExportPrivateKeyPem(keyOut);
                output = format switch
                {
                    "der" => ca.ExportCertificateDer(),
                    "mobileconfig" => System.Text.Encoding.UTF8.GetBytes(ca.ExportMobileConfig()),
                    _ => System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem()),
                };
            }
            if (cli.Value("--out") is { } outPath) await File.WriteAllBytesAsync(outPath, output, ct);
            else if (format == "der") await stderr.WriteLineAsync("mstg ca export: DER is binary; use --out FILE");
            else await stdout.WriteAsync(System.Text.Encoding.UTF8.GetString(output));
            return format == "der" && cli.Value("--out") is null ? 2 : 0;
        }
        catch (MstgInputException e)
        {
            await stderr.WriteLineAsync($"mstg ca export: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"mstg ca export: {e.Message}");
            return 1;
        }
    }
}
