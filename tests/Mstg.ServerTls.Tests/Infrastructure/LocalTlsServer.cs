using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Mstg.Fixtures.Processes;
using Mstg.Tls;

namespace Mstg.ServerTls.Tests.Infrastructure;

/// <summary>
/// A real TLS server on loopback for one test: Debian's <c>openssl s_server</c> or nginx, with its own temporary
/// folder, a free port, and (for TLS 1.0, RSA-1024, SHA-1) a process-wide OPENSSL_CONF that relaxes Debian's floor.
/// Disposing kills it and deletes the folder.
/// </summary>
public sealed class LocalTlsServer : IAsyncDisposable
{
    private readonly BackgroundProcess _process;
    public int Port { get; }
    public string Directory { get; }
    public string Kind { get; }

    private LocalTlsServer(BackgroundProcess process, int port, string dir, string kind)
    {
        _process = process; Port = port; Directory = dir; Kind = kind;
    }

    public Endpoint Endpoint(string host = "localhost") => new(host, Port);

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>openssl s_server</c> with <paramref name="arguments"/> (protocol and cipher flags) and the leaf written by <paramref name="pki"/>.</summary>
    public static async Task<LocalTlsServer> OpenSslAsync(TestPki pki, TestPki.LeafSpec leaf, bool legacy, params string[] arguments)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("mstg-s_server-").FullName;
        var (cert, key, chain, _) = pki.WriteLeaf(dir, leaf);
        var port = FreePort();
        List<string> args = ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", cert, "-key", key, "-www", "-naccept", "100000"];
        if (chain is not null && !arguments.Contains("--no-chain")) args.AddRange(["-cert_chain", chain]);
        args.AddRange(arguments.Where(a => a != "--no-chain"));
        var env = new Dictionary<string, string?>();
        if (legacy) env["OPENSSL_CONF"] = LegacyOpenSsl.WriteConfig(dir);
        var process = ExternalProcess.Start("openssl", args, new ProcessOptions { Environment = env, WorkingDirectory = dir });
        var server = new LocalTlsServer(process, port, dir, "openssl s_server");
        await server.WaitReadyAsync(process.WaitForLineAsync(new Regex("^ACCEPT"), TimeSpan.FromSeconds(20)));
        return server;
    }

    /// <summary>Starts nginx (no daemon, no master) serving leaf + intermediate with the given protocols and ciphers.</summary>
    public static async Task<LocalTlsServer> NginxAsync(TestPki pki, TestPki.LeafSpec leaf, string protocols, string ciphers)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("mstg-nginx-").FullName;
        var (cert, key, chain, _) = pki.WriteLeaf(dir, leaf);
        var full = Path.Combine(dir, "fullchain.pem");
        File.WriteAllText(full, File.ReadAllText(cert) + (chain is null ? "" : File.ReadAllText(chain)));
        var port = FreePort();
        var conf = Path.Combine(dir, "nginx.conf");
        File.WriteAllText(conf, $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log stderr warn;
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path {{dir}}/body; proxy_temp_path {{dir}}/proxy; fastcgi_temp_path {{dir}}/fastcgi;
              uwsgi_temp_path {{dir}}/uwsgi; scgi_temp_path {{dir}}/scgi;
              server {
                listen 127.0.0.1:{{port}} ssl http2;
                server_name localhost;
                ssl_certificate {{full}};
                ssl_certificate_key {{key}};
                ssl_protocols {{protocols}};
                ssl_ciphers {{ciphers}};
                ssl_prefer_server_ciphers on;
                location / { return 200 "ok\n"; }
              }
            }
            """);
        var process = ExternalProcess.Start("nginx", ["-p", dir, "-c", conf, "-e", "stderr"], new ProcessOptions { WorkingDirectory = dir });
        var server = new LocalTlsServer(process, port, dir, "nginx");
        await server.WaitReadyAsync(PollAsync(port, process));
        return server;
    }

    private static async Task PollAsync(int port, BackgroundProcess process)
    {
        for (var i = 0; i < 200; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"nginx stopped: {process.Describe()}");
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) { await Task.Delay(50); }
        }
        throw new TimeoutException($"nginx never listened on {port}: {process.Describe()}");
    }

    private async Task WaitReadyAsync(Task ready)
    {
        try { await ready; }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public string Describe() => _process.Describe();

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
