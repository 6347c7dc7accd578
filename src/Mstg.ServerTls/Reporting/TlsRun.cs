using Mstg.ServerTls.Ats;

namespace Mstg.ServerTls;

/// <summary>One endpoint's probe, ATS verdict and findings, as the reporters print them.</summary>
public sealed record EndpointResult(EndpointReport Report, AtsVerdict Ats, IReadOnlyList<Finding> Findings);

/// <summary>Everything <c>mstg tls</c> found in one run.</summary>
public sealed record TlsRun(IReadOnlyList<EndpointResult> Endpoints, string? App, DateTimeOffset Started)
{
    public IEnumerable<Finding> Findings => Endpoints.SelectMany(e => e.Findings);
    public int Count(Verdict v) => Findings.Count(f => f.Verdict == v);
    /// <summary>"incomplete" when something could not be probed, else "failed" or "passed".</summary>
    public string Outcome => Count(Verdict.Fail) > 0 ? "failed" : Count(Verdict.Skipped) > 0 ? "incomplete" : "passed";
}
