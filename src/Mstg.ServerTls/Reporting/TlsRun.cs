using Mstg.ServerTls.Ats;

namespace Mstg.ServerTls;

/// <summary>One endpoint's probe, ATS verdict and findings.</summary>
public sealed record EndpointResult(EndpointReport Report, AtsVerdict Ats, IReadOnlyList<Finding> Findings);

/// <summary>
/// Everything <c>mstg tls</c> (or the server suite) found in one run. <see cref="ToReport"/> turns it into the shared
/// <see cref="FindingReport"/>, so text, JSON and SARIF are the same writers as <c>mstg scan</c>'s.
/// </summary>
public sealed record TlsRun(IReadOnlyList<EndpointResult> Endpoints, string? App, DateTimeOffset Started, TimeSpan Duration = default)
{
    public IEnumerable<Finding> Findings => Endpoints.SelectMany(e => e.Findings);

    /// <summary>
    /// The run as a report: the endpoints as the run's subject, their findings, each endpoint that could not be probed
    /// (or only in part) as a part not checked, the server rules as the rules applied, and the per-endpoint protocol
    /// table and ATS matrix as an extra section (<see cref="ServerDetailSection"/>).
    /// </summary>
    public FindingReport ToReport(IReadOnlyList<string> targets) => new()
    {
        Command = "tls",
        Target = string.Join(" ", targets) + (App is null ? "" : $" --from-app {App}"),
        // Every server rule runs, the L2 pin check (PIN-NO-MATCH) included.
        Profile = Profile.L2,
        StartedAt = Started,
        Duration = Duration,
        Subject = new EndpointsRunSubject(Endpoints.Select(e => ServerFindings.SubjectOf(e.Report.Endpoint)).ToList()),
        Findings = Findings.ToList(),
        Incomplete = Endpoints.SelectMany(NotChecked).ToList(),
        Kinds = [CheckKind.Server],
        Sections = [new ServerDetailSection(Endpoints)],
    };

    private static IEnumerable<IncompletePart> NotChecked(EndpointResult e)
    {
        var where = ServerFindings.SubjectOf(e.Report.Endpoint).Place;
        if (e.Report.Status != ProbeStatus.Probed)
            yield return new IncompletePart(where, e.Report.Status.ToString(), e.Report.Problem ?? "could not be probed");
        else
            foreach (var part in e.Report.Incomplete) yield return new IncompletePart(where, "probe", part);
    }
}
