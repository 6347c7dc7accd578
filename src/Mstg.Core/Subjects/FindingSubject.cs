namespace Mstg;

/// <summary>
/// What a finding is about. Static rules name a place in a bundle (<see cref="BundleSubject"/>), dynamic checks a host
/// under a certificate condition (<see cref="HostConditionSubject"/>), server checks a TLS endpoint
/// (<see cref="EndpointSubject"/>). Reporters only use the members here, so a new kind of subject needs no reporter change.
/// </summary>
public abstract record FindingSubject
{
    public abstract CheckKind Kind { get; }

    /// <summary>What the finding belongs to, the heading reports group findings under: the bundle path, the host, the endpoint.</summary>
    public abstract string Scope { get; }

    /// <summary>The place inside <see cref="Scope"/>: a plist key path or binary place, the certificate condition, the endpoint.</summary>
    public abstract string Place { get; }

    /// <summary>One stable line naming the subject, as text reports and test messages print it.</summary>
    public abstract string Display { get; }

    /// <summary>Where SARIF puts the finding: a file and line inside the package, or the endpoint as a URI and a logical location.</summary>
    public abstract SubjectSarifLocation SarifLocation { get; }

    /// <summary>The subject's identity for fingerprints and waivers: the same subject gives the same text in every run.</summary>
    public virtual string Identity => $"{Scope}|{Place}";
}

/// <summary>
/// The SARIF location of a subject (SARIF 2.1.0 §3.28): <see cref="ArtifactUri"/> is a path inside the package (relative)
/// or an endpoint URI (<c>https://host:port</c>); <see cref="StartLine"/> is set for files only; the logical location names
/// the plist key path, binary place, condition or endpoint.
/// </summary>
public sealed record SubjectSarifLocation(string ArtifactUri, int? StartLine, string LogicalName, string? LogicalKind)
{
    /// <summary>Whether <see cref="ArtifactUri"/> is a path inside the package (a file code scanning can annotate), not an endpoint.</summary>
    public bool IsPackagePath => StartLine is not null;
}
