using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy.Cli;

/// <summary>
/// What <c>mstg proxy</c> was asked to do, as the command line said it (values not yet checked). The <c>mstg</c> command
/// line fills it; <see cref="ToProxyOptions"/> checks it and builds the server's <see cref="ProxyOptions"/>. The
/// relaxed-OpenSSL child gets it whole as a JSON document (<see cref="ProxyCommandChild"/>): every property must
/// serialize, and ProxyCommandHandOffTests fail until a new one is set in their sample.
/// </summary>
public sealed record ProxyCommandOptions
{
    public string Listen { get; init; } = "127.0.0.1:8080";
    public string Condition { get; init; } = "trusted-ca";
    /// <summary>Host patterns; each value may hold several separated by commas.</summary>
    public IReadOnlyList<string> Scope { get; init; } = [];
    /// <summary><c>host=address:port</c> entries; each value may hold several separated by commas.</summary>
    public IReadOnlyList<string> HostMap { get; init; } = [];
    public string? UpstreamCa { get; init; }
    public string? Events { get; init; }
    public string? Har { get; init; }
    /// <summary>user:password; when null, <see cref="ProxyCommand.AuthVariable"/> is read instead.</summary>
    public string? Auth { get; init; }
    public string? CaCert { get; init; }
    public string? CaKey { get; init; }
    public string? WriteCaKey { get; init; }
    /// <summary><c>stdio</c>: the line protocol of out-of-process proxies; null: human output.</summary>
    public string? Control { get; init; }
    public bool AllowRemote { get; init; }
    public bool NoRedact { get; init; }
    public bool LegacyTls { get; init; }
    public bool Transparent { get; init; }
    public bool Quiet { get; init; }

    private static IReadOnlyList<string> Split(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    /// <summary>Checks every value; a bad one is an <see cref="MstgInputException"/> naming the option.</summary>
    public ProxyOptions ToProxyOptions()
    {
        if (!IPEndPoint.TryParse(Listen, out var listen))
            throw new MstgInputException("command line", "--listen", $"'{Listen}' is not address:port");
        var hostMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Split(HostMap))
        {
            var eq = entry.IndexOf('=');
            if (eq <= 0 || eq == entry.Length - 1) throw new MstgInputException("command line", "--host-map", $"'{entry}' is not host=address:port");
            hostMap[entry[..eq]] = entry[(eq + 1)..];
        }
        X509Certificate2Collection? roots = null;
        if (UpstreamCa is { } rootsPath)
        {
            roots = [];
            try { roots.ImportFromPemFile(rootsPath); }
            catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
            { throw new MstgInputException(rootsPath, "--upstream-ca", e.Message, e); }
        }
        NetworkCredential? credentials = null;
        if ((Auth ?? Environment.GetEnvironmentVariable(ProxyCommand.AuthVariable)) is { Length: > 0 } auth)
        {
            var colon = auth.IndexOf(':');
            if (colon <= 0) throw new MstgInputException("command line", "--auth", "expected user:password");
            if (colon == auth.Length - 1) throw new MstgInputException("command line", "--auth", "the password is empty; a remote proxy needs a real one");
            credentials = new NetworkCredential(auth[..colon], auth[(colon + 1)..]);
        }
        return new ProxyOptions
        {
            Listen = listen,
            AllowNonLoopback = AllowRemote,
            Transparent = Transparent,
            Condition = CertificateConditions.Parse(Condition),
            Scope = Split(Scope),
            HostMap = hostMap,
            UpstreamTrustedRoots = roots,
            ProxyCredentials = credentials,
            Redact = !NoRedact,
            EventsPath = Events,
            CaCertificatePath = CaCert,
            CaKeyPath = CaKey,
            HarPath = Har,
        };
    }
}
