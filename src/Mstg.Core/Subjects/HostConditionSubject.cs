namespace Mstg;

/// <summary>
/// A dynamic finding's subject: what the app did towards <see cref="Host"/> while the interception proxy served
/// certificate condition <see cref="Condition"/> (<c>untrusted-ca</c>, <c>tls10-only</c>, <c>cleartext</c> …): for example
/// "api.example.com accepted the untrusted-ca condition". <see cref="Port"/> is the port the app connected to, when known.
/// </summary>
public sealed record HostConditionSubject(string Host, string Condition) : FindingSubject
{
    public int? Port { get; init; }

    public override CheckKind Kind => CheckKind.Dynamic;
    public override string Scope => Port is { } port ? $"{Host}:{port}" : Host;
    public override string Place => $"condition {Condition}";
    public override string Display => $"{Scope} under condition {Condition}";

    /// <summary>The endpoint as a URI (port 443 unless another was seen) and the condition as a logical location.</summary>
    public override SubjectSarifLocation SarifLocation =>
        new(EndpointSubject.Uri(Host, Port ?? 443), null, $"{Scope}/{Condition}", "resource");
}
