namespace Mstg.Allure.Model;

/// <summary>Why a test, step or fixture did not pass.</summary>
public sealed class StatusDetails
{
    public string? Message { get; set; }
    public string? Trace { get; set; }
    public bool Known { get; set; }
    public bool Muted { get; set; }
    public bool Flaky { get; set; }
}

/// <summary>A name/value pair; the same name may appear several times (for example several tags).</summary>
public sealed record Label(string Name, string Value);

public sealed record Link(string Name, string Url, LinkType Type = LinkType.Link);

/// <summary>One argument of a test or step. Excluded parameters are left out of the history and retry key.</summary>
public sealed record Parameter(string Name, string Value, bool Excluded = false, ParameterMode Mode = ParameterMode.Default);

/// <summary>A pointer from a result to an attachment file in the same results folder.</summary>
/// <param name="Name">Display name; any text.</param>
/// <param name="Source">Bare file name; must match <see cref="Writing.AttachmentFiles.SourcePattern"/>.</param>
/// <param name="Type">MIME type.</param>
public sealed record Attachment(string Name, string Source, string Type);
