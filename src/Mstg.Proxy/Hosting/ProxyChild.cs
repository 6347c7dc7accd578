using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy.Hosting;

/// <summary>
/// The child side of an out-of-process <see cref="ProxyHost"/>: <c>Mstg.Proxy host OPTIONS.json</c>. Reads the one
/// options document the parent wrote (and deletes it: it may hold proxy credentials), runs the proxy and speaks the
/// <see cref="ControlChannel"/> protocol on stdin/stdout until told to quit.
/// </summary>
public static class ProxyChild
{
    public static async Task<int> RunAsync(string optionsPath, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var lines = new ControlChannel.LineWriter(stdout);
        ProxyOptions options;
        try
        {
            var json = await OwnerOnlyFile.ReadAndDeleteAsync(optionsPath, ct).ConfigureAwait(false);
            options = ProxyOptionsJson.Deserialize(json, optionsPath);
            var server = new ProxyServer(options);
            await using (server.ConfigureAwait(false))
            {
                server.Start();
                await ControlChannel.ServeAsync(server, ProxyOptionsJson.Digest(options), stdin, stdout, ct).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        }
        catch (MstgInputException e)
        {
            lines.Write(new { type = ControlChannel.StartError, source = e.Source, place = e.Place, problem = e.Problem });
            return ExitCodes.Usage;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            lines.Write(new { type = ControlChannel.StartError, source = "proxy", place = "listen", problem = e.Message });
            await stderr.WriteLineAsync($"Mstg.Proxy host: {e.Message}").ConfigureAwait(false);
            return ExitCodes.RuleFailed;
        }
    }
}
