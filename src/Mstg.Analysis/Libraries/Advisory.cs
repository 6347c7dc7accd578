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
