namespace Mstg;

/// <summary>
/// One conclusion of one rule about one subject. Findings are plain data: rules, proxy checks and the server prober
/// create them, reporters (text, JSON, SARIF, Allure, the suites) only read them. The subject says what the finding is
/// about and of which kind it is (<see cref="BundleSubject"/>, <see cref="HostConditionSubject"/>, <see cref="EndpointSubject"/>).
/// </summary>
/// <remarks>
/// Static rules keep writing <c>Bundle = …, Location = …</c>: those two (and <see cref="Line"/>) are shorthands that build
/// and edit a <see cref="BundleSubject"/>, so the rules' construction sites and <c>finding with { Line = 12 }</c> stay as
/// they were. Other kinds set <see cref="Subject"/>.
/// </remarks>
public sealed record Finding
{
    private FindingSubject? _subject;
    private string? _domain;

    public required string RuleId { get; init; }
    public required Verdict Verdict { get; init; }
    public required Severity Severity { get; init; }

    /// <summary>Human sentence saying what was found and why it matters.</summary>
    public required string Message { get; init; }

    /// <summary>What the finding is about. Reading it from a finding that was given none is a programming error.</summary>
    public FindingSubject Subject
    {
        get => _subject ?? throw new InvalidOperationException($"Finding {RuleId} has no subject: set Subject, or Bundle and Location for a static finding.");
        init => _subject = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Static, dynamic or server: the kind of the subject.</summary>
    public CheckKind Kind => Subject.Kind;

    /// <summary>The bundle a static finding belongs to, as a path inside the app (<c>Payload/App.app/PlugIns/Share.appex</c>); empty for other kinds.</summary>
    public string Bundle
    {
        get => (_subject as BundleSubject)?.Bundle ?? "";
        init => _subject = StaticSubject() with { Bundle = value };
    }

    /// <summary>
    /// Where: for a static finding the plist key path (<c>Info.plist:NSAppTransportSecurity/NSExceptionDomains/example.com</c>)
    /// or binary place (<c>App[arm64]:__TEXT,__cstring+0x1c0</c>); for other kinds the subject's <see cref="FindingSubject.Place"/>.
    /// </summary>
    public string Location
    {
        get => _subject is BundleSubject b ? b.Location : Subject.Place;
        init => _subject = StaticSubject() with { Location = value };
    }

    /// <summary>
    /// Line of the plist key a static finding is about, when the plist is text (XML, OpenStep); null for binary plists, binary
    /// findings and other kinds. Set by the scanner from the parsed tree, so rules never count lines themselves.
    /// </summary>
    public int? Line
    {
        get => (_subject as BundleSubject)?.Line;
        init => _subject = StaticSubject() with { Line = value };
    }

    /// <summary>The domain the finding is about, where one applies; for dynamic and server findings the host unless set otherwise.</summary>
    public string? Domain
    {
        get => _domain ?? _subject switch
        {
            HostConditionSubject h => h.Host,
            EndpointSubject e => e.Host,
            _ => null,
        };
        init => _domain = value;
    }

    /// <summary>Short raw evidence (a plist excerpt, the string found, the symbol, the handshake seen) shown under the message.</summary>
    public string? Evidence { get; init; }

    public string MstgId => Rule.MstgId;
    public string MasvsId => Rule.MasvsId;
    public IReadOnlyList<string> MastgTests => Rule.MastgTests;

    /// <summary>The catalogue entry for <see cref="RuleId"/> (static, dynamic and server rules alike).</summary>
    public RuleDescriptor Rule => RuleCatalog.Get(RuleId);

    /// <summary>The one-line form messages and logs use: <c>FAIL ATS-ARBITRARY-LOADS [Payload/App.app] Info.plist:… (example.com): …</c>.</summary>
    public string Describe() =>
        $"{RuleId} {Subject.Display}{(ShowsDomain ? $" ({Domain})" : "")}: {Message}";

    public override string ToString() => $"{Verdict.ToString().ToUpperInvariant()} {Describe()}";

    /// <summary>Whether the domain adds something to the subject's display (dynamic and server subjects already name their host).</summary>
    public bool ShowsDomain => Domain is { } d && (_subject is BundleSubject || !string.Equals(d, HostOf(_subject), StringComparison.OrdinalIgnoreCase));

    private static string? HostOf(FindingSubject? subject) => subject switch
    {
        HostConditionSubject h => h.Host,
        EndpointSubject e => e.Host,
        _ => null,
    };

    private BundleSubject StaticSubject() => _subject switch
    {
        null => new BundleSubject("", ""),
        BundleSubject b => b,
        _ => throw new InvalidOperationException($"Finding {RuleId} is about {_subject.Display}, not a place in a bundle: Bundle, Location and Line apply to static findings only."),
    };
}
