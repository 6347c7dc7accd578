using System.Text.Json;
using Mstg.Proxy.Hosting;

namespace Mstg.Proxy.Cli;

/// <summary>
/// The relaxed-OpenSSL child of <c>mstg proxy</c> (<c>--legacy-tls</c>, or a condition that needs old TLS):
/// <c>Mstg.Proxy proxy-command OPTIONS.json</c>. The parent writes its whole <see cref="ProxyCommandOptions"/> as one
/// JSON document; the child reads it, deletes it and runs <see cref="ProxyCommand.RunAsync"/> with it, so the child
/// parses no command line of its own (System.CommandLine in <c>mstg</c> is the only parser). The options are serialized
/// as it is, so a property added to it travels without anyone remembering to pass it (ProxyCommandHandOffTests reflect
/// over it).
/// </summary>
/// <remarks>
/// The document holds <see cref="ProxyCommandOptions.Auth"/>, the proxy password, when one was given. That is fine
/// here and nowhere on a command line (which every local user can read in ps): the file is mode 0600 inside the
/// parent's private 0700 folder, and the child deletes it as soon as it has read it.
/// </remarks>
public static class ProxyCommandChild
{
    /// <summary>The first argument of this child entry.</summary>
    public const string Verb = "proxy-command";

    /// <summary>The document's name inside the parent's private folder.</summary>
    public const string FileName = "proxy-command.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // A document from another build that names a property this one lacks is refused instead of silently dropped.
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static string Serialize(ProxyCommandOptions options) => JsonSerializer.Serialize(options, Json);

    /// <summary>Reads a document written by <see cref="Serialize"/>; bad JSON is an <see cref="MstgInputException"/> naming <paramref name="source"/>.</summary>
    public static ProxyCommandOptions Deserialize(string json, string source = "proxy command options")
    {
        ProxyCommandOptions? options;
        try { options = JsonSerializer.Deserialize<ProxyCommandOptions>(json, Json); }
        catch (JsonException e) { throw new MstgInputException(source, e.Path ?? "$", e.Message, e); }
        return options ?? throw new MstgInputException(source, "$", "empty options document");
    }

    /// <summary>Writes the document into <paramref name="privateDir"/> (mode 0600, never over an existing file) and returns its path.</summary>
    public static string Write(ProxyCommandOptions options, string privateDir)
    {
        var path = Path.Combine(privateDir, FileName);
        OwnerOnlyFile.Write(path, Serialize(options));
        return path;
    }

    /// <summary>Reads and deletes the document at <paramref name="optionsPath"/>.</summary>
    public static async Task<ProxyCommandOptions> ReadAsync(string optionsPath, CancellationToken ct) =>
        Deserialize(await OwnerOnlyFile.ReadAndDeleteAsync(optionsPath, ct).ConfigureAwait(false), optionsPath);

    /// <summary>
    /// The child's whole life: read the options, then behave exactly as the parent's <c>mstg proxy</c> would in
    /// process (same console lines, same exit codes; the caller's token is cancelled by SIGINT/SIGTERM, which drains
    /// the proxy and writes the HAR and event log).
    /// </summary>
    public static async Task<int> RunAsync(string optionsPath, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ProxyCommandOptions options;
        try { options = await ReadAsync(optionsPath, ct).ConfigureAwait(false); }
        catch (MstgInputException e)
        {
            await stderr.WriteLineAsync($"mstg proxy: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        return await ProxyCommand.RunAsync(options, stdout, stderr, ct).ConfigureAwait(false);
    }
}
