namespace Mstg;

/// <summary>
/// One conclusion of one rule about one place. Findings are plain data: rules create them,
/// reporters (text, JSON, SARIF, Allure) only read them.
/// </summary>
public sealed record Finding
{
    public required string RuleId { get; init; }
    public required Verdict Verdict { get; init; }
    public required Severity Severity { get; init; }

    /// <summary>Human sentence saying what was found and why it matters.</summary>
    public required string Message { get; init; }

    /// <summary>The bundle the finding belongs to, as a path inside the app (for example <c>Payload/App.app/PlugIns/Share.appex</c>).</summary>
    public required string Bundle { get; init; }

    /// <summary>Where inside the bundle: a plist key path (<c>Info.plist:NSAppTransportSecurity/NSExceptionDomains/example.com</c>) or a binary place (<c>App[arm64]:__TEXT,__cstring+0x1c0</c>).</summary>
    public required string Location { get; init; }

    /// <summary>The domain the finding is about, where one applies.</summary>
    public string? Domain { get; init; }

    /// <summary>
    /// Line of the plist key the finding is about, when the plist is text (XML, OpenStep); null for binary plists and
    /// binary findings. Set by the scanner from the parsed tree, so rules never count lines themselves.
    /// </summary>
    public int? Line { get; init; }

    /// <summary>Short raw evidence (a plist excerpt, the string found, the symbol) shown under the message.</summary>
    public string? Evidence { get; init; }

    public string MstgId => Rule.MstgId;
    public string MasvsId => Rule.MasvsId;
    public IReadOnlyList<string> MastgTests => Rule.MastgTests;

    /// <summary>The catalogue entry for <see cref="RuleId"/>.</summary>
    public RuleDescriptor Rule => RuleCatalog.Get(RuleId);

    public override string ToString() =>
        $"{Verdict.ToString().ToUpperInvariant()} {RuleId} [{Bundle}] {Location}{(Domain is null ? "" : $" ({Domain})")}: {Message}";
}
