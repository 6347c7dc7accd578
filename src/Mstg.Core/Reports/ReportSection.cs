using System.Text.Json;

namespace Mstg;

/// <summary>
/// Detail a run has beyond its findings, written by the shared reporters as one more part of the report: a heading and
/// lines in text, one top-level member in JSON. <c>mstg tls</c> uses it for the per-endpoint protocol and suite table and
/// the nscurl ATS matrix (docs/tls.md); SARIF has no place for it and leaves it out.
/// </summary>
public abstract record ReportSection
{
    /// <summary>The text report's heading (without the colon).</summary>
    public abstract string Heading { get; }

    /// <summary>The JSON member the section is written as (documented in docs/scan-json.schema.json).</summary>
    public abstract string JsonName { get; }

    /// <summary>The text lines, unescaped and without indentation of the section itself; the reporter escapes each line.</summary>
    public abstract IEnumerable<string> TextLines();

    /// <summary>Writes the member's value (the reporter has written its name).</summary>
    public abstract void WriteJson(Utf8JsonWriter writer);
}
