namespace Mstg;

/// <summary>
/// A server finding's subject: one TLS endpoint the app talks to, probed by <c>mstg tls</c>: for example
/// "api.example.com:443 accepts TLS 1.0". <see cref="Sni"/> is the server name sent when it differs from <see cref="Host"/>
/// (a host given as an IP address, or an explicit <c>--sni</c>).
/// </summary>
public sealed record EndpointSubject(string Host, int Port) : FindingSubject
{
    public string? Sni { get; init; }

    public override CheckKind Kind => CheckKind.Server;
    public override string Scope => $"{HostPart(Host)}:{Port}";
    public override string Place => Sni is null || string.Equals(Sni, Host, StringComparison.OrdinalIgnoreCase) ? Scope : $"{Scope} (SNI {Sni})";
    public override string Display => Place;

    public override SubjectSarifLocation SarifLocation => new(Uri(Host, Port), null, Place, "resource");

    /// <summary><c>https://host:port</c>, with an IPv6 address in brackets.</summary>
    public static string Uri(string host, int port) => $"https://{HostPart(host)}:{port}";

    private static string HostPart(string host) => host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
}
