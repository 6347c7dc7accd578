using System.Text.Json.Serialization;

namespace Mstg.Analysis.Libraries;

/// <summary>
/// One advisory in OSV form (https://ossf.github.io/osv-schema/): the subset the matcher needs. CVE ids go in
/// <see cref="Id"/> or <see cref="Aliases"/> only when NVD or the maintainers published them.
/// </summary>
public sealed record Advisory
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("aliases")] public List<string> Aliases { get; init; } = [];
    [JsonPropertyName("summary")] public string Summary { get; init; } = "";
    [JsonPropertyName("details")] public string? Details { get; init; }
    [JsonPropertyName("affected")] public List<AffectedPackage> Affected { get; init; } = [];
    [JsonPropertyName("references")] public List<AdvisoryReference> References { get; init; } = [];
    /// <summary>GHSA's place for a severity word (OSV's own <c>severity</c> holds CVSS vectors, which we do not score).</summary>
    [JsonPropertyName("database_specific")] public AdvisoryDatabaseSpecific? DatabaseSpecific { get; init; }

    /// <summary>LOW, MODERATE, HIGH or CRITICAL as published, or null when the file does not say.</summary>
    [JsonIgnore] public string? Severity => DatabaseSpecific?.Severity;

    /// <summary>Where the advisory was loaded from (the built-in file or a user file), for evidence.</summary>
    [JsonIgnore] public string Origin { get; init; } = "";
}

public sealed record AffectedPackage
{
    [JsonPropertyName("package")] public PackageRef Package { get; init; } = new();
    [JsonPropertyName("ranges")] public List<VersionRange> Ranges { get; init; } = [];
    /// <summary>Individually listed affected versions (OSV "versions").</summary>
    [JsonPropertyName("versions")] public List<string> Versions { get; init; } = [];
}

public sealed record PackageRef
{
    [JsonPropertyName("ecosystem")] public string? Ecosystem { get; init; }
    [JsonPropertyName("name")] public string Name { get; init; } = "";
}

public sealed record VersionRange
{
    [JsonPropertyName("type")] public string Type { get; init; } = "ECOSYSTEM";
    [JsonPropertyName("events")] public List<RangeEvent> Events { get; init; } = [];
}

/// <summary>Exactly one of the three is set, as in OSV.</summary>
public sealed record RangeEvent
{
    [JsonPropertyName("introduced")] public string? Introduced { get; init; }
    [JsonPropertyName("fixed")] public string? Fixed { get; init; }
    [JsonPropertyName("last_affected")] public string? LastAffected { get; init; }
}

public sealed record AdvisoryReference
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("url")] public string Url { get; init; } = "";
}

public sealed record AdvisoryDatabaseSpecific
{
    [JsonPropertyName("severity")] public string? Severity { get; init; }
}

/// <summary>
/// A package whose published advisories were reviewed for the data file. <see cref="Versioned"/> false marks a library
/// without version numbers (BoringSSL), for which no advisory can ever be matched.
/// </summary>
public sealed record PackageCoverage
{
    [JsonPropertyName("package")] public string Package { get; init; } = "";
    [JsonPropertyName("versioned")] public bool Versioned { get; init; } = true;
    [JsonPropertyName("sources")] public List<string> Sources { get; init; } = [];
    [JsonPropertyName("note")] public string? Note { get; init; }
}

/// <summary>A release branch [<see cref="Introduced"/>, <see cref="Before"/>) whose support ends on <see cref="Date"/>.</summary>
public sealed record EndOfLife
{
    [JsonPropertyName("package")] public string Package { get; init; } = "";
    [JsonPropertyName("branch")] public string Branch { get; init; } = "";
    [JsonPropertyName("introduced")] public string Introduced { get; init; } = "";
    [JsonPropertyName("before")] public string Before { get; init; } = "";
    [JsonPropertyName("date")] public DateOnly Date { get; init; }
    [JsonPropertyName("reference")] public string Reference { get; init; } = "";

    public bool Contains(LibraryVersion version) => version >= LibraryVersion.Parse(Introduced) && version < LibraryVersion.Parse(Before);
}
