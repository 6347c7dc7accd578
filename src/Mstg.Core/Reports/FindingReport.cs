namespace Mstg;

/// <summary>
/// What every report format is written from: which tool run produced it, what it looked at, the findings and what could
/// not be checked. <c>mstg scan</c> builds one from its scan result, <c>mstg tls</c> from its probes, a dynamic run from
/// its proxy events; the text, JSON and SARIF reporters (src/Mstg.Analysis/Reporting) read only this.
/// </summary>
public sealed record FindingReport
{
    /// <summary>The command that ran (<c>scan</c>, <c>tls</c>, <c>dynamic</c>): the first word of the text report's header.</summary>
    public required string Command { get; init; }

    /// <summary>What the user gave: the app path, the endpoints.</summary>
    public required string Target { get; init; }

    public required Profile Profile { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required TimeSpan Duration { get; init; }

    /// <summary>What the run looked at: the app's bundles, or the endpoints.</summary>
    public required RunSubject Subject { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>What could not be read or probed (a broken nested plist, a host that did not answer): the run is incomplete, never a pass.</summary>
    public required IReadOnlyList<IncompletePart> Incomplete { get; init; }

    /// <summary>
    /// Which kinds of rule the run applied: the rules SARIF lists. A scan applies the static rules, <c>mstg tls</c> the
    /// server rules; default: the kinds of the subject.
    /// </summary>
    public IReadOnlyList<CheckKind> Kinds { get; init; } = [];

    /// <summary>The advisory data the library rules were judged against (static runs); null when no library rule ran.</summary>
    public string? AdvisoryData { get; init; }

    /// <summary>Detail beyond the findings (the server prober's protocol table and ATS matrix); empty for scans.</summary>
    public IReadOnlyList<ReportSection> Sections { get; init; } = [];

    public IReadOnlyList<CheckKind> AppliedKinds => Kinds.Count > 0 ? Kinds : Subject.Kinds;

    public int Count(Verdict verdict) => Findings.Count(f => f.Verdict == verdict);
}

/// <summary>A part of the run that was not checked: the source (file, entry, endpoint), the place in it and what went wrong.</summary>
public sealed record IncompletePart(string Source, string Place, string Problem)
{
    public string Message => $"{Source}: {Place}: {Problem}";

    public static IncompletePart From(MstgInputException e) => new(e.Source, e.Place, e.Problem);
}

/// <summary>What a run looked at, for the report header: an app with its bundles, or a set of endpoints.</summary>
public abstract record RunSubject
{
    public abstract IReadOnlyList<CheckKind> Kinds { get; }
}

/// <summary>An app package: every bundle the scan found (static runs, and dynamic runs that name the app).</summary>
public sealed record AppRunSubject(IReadOnlyList<ReportedBundle> Bundles) : RunSubject
{
    public override IReadOnlyList<CheckKind> Kinds => [CheckKind.Static];
}

/// <summary>The endpoints a server run probed, or the hosts a dynamic run saw.</summary>
public sealed record EndpointsRunSubject(IReadOnlyList<EndpointSubject> Endpoints, CheckKind Kind = CheckKind.Server) : RunSubject
{
    public override IReadOnlyList<CheckKind> Kinds => [Kind];
}

/// <summary>One bundle of the app as reports show it. <see cref="Kind"/> is the bundle kind's name (<c>App</c>, <c>AppExtension</c>, <c>PlistOnly</c> …).</summary>
public sealed record ReportedBundle(
    string Path,
    string Kind,
    string? BundleIdentifier,
    string? Version,
    string? MinimumOs,
    string? Executable,
    IReadOnlyList<string> Architectures,
    bool Encrypted)
{
    /// <summary>The bundle kind of a lone Info.plist scanned on its own (reported at the path the user gave).</summary>
    public const string PlistOnlyKind = "PlistOnly";
}
