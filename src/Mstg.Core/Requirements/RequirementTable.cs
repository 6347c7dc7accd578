namespace Mstg;

/// <summary>
/// The six MSTG-NETWORK requirements with their MASVS, MASTG, level, severity, category and Allure names: the one place
/// they are written. The suites build their tests from <see cref="RequirementDescriptor.Checks"/>, the Allure attributes
/// and categories, SARIF and the reports read it, and a test keeps docs/rules.md ("Requirements") in step with it.
/// </summary>
public static class RequirementTable
{
    public const string Network1 = "MSTG-NETWORK-1", Network2 = "MSTG-NETWORK-2", Network3 = "MSTG-NETWORK-3",
        Network4 = "MSTG-NETWORK-4", Network5 = "MSTG-NETWORK-5", Network6 = "MSTG-NETWORK-6";

    public static readonly FailureCategory CertificateNotValidated = new(FailureCategory.CertificateNotValidatedTag, "Certificate not validated",
        "The app accepted a certificate it should have rejected (untrusted CA, wrong host, expired, self-signed): MSTG-NETWORK-3.");
    public static readonly FailureCategory Cleartext = new(FailureCategory.CleartextTag, "Cleartext traffic",
        "Data left the device without TLS: MSTG-NETWORK-1/2.");
    public static readonly FailureCategory PinningMissing = new(FailureCategory.PinningMissingTag, "Pinning missing",
        "The app trusts any system-trusted certificate for a pinned host: MSTG-NETWORK-4.");
    public static readonly FailureCategory WeakTls = new(FailureCategory.WeakTlsTag, "Weak TLS",
        "Old protocol versions, weak ciphers or no forward secrecy: MSTG-NETWORK-2.");
    public static readonly FailureCategory OutdatedLibrary = new(FailureCategory.OutdatedLibraryTag, "Outdated library",
        "A networking or TLS library with known problems: MSTG-NETWORK-6.");
    public static readonly FailureCategory InsecureChannel = new(FailureCategory.InsecureChannelTag, "Critical operation over SMS or e-mail",
        "A critical operation relies on SMS or e-mail alone, as a reviewer found: MSTG-NETWORK-5.");

    private const string M1 = "MASVS-NETWORK-1", M2 = "MASVS-NETWORK-2";

    private static readonly RequirementDescriptor[] All =
    [
        new(Network1, M1, "Secure channel", "Data is encrypted on the network using TLS; the secure channel is used consistently throughout the app.",
            Profile.L1, Severity.High, ["MASTG-TEST-0065"], Cleartext,
            [
                new(CheckKind.Static, RuleFamily.Ats, "ATS does not allow cleartext traffic", "MASTG-TEST-0322", Severity.High),
                new(CheckKind.Static, RuleFamily.Binary, "Binaries use no cleartext endpoints and no networking outside ATS", "MASTG-TEST-0321", Severity.Medium),
                // The dynamic suite's theory of this requirement (suites/Mstg.Suites/Dynamic, docs/dynamic.md): one row per probe × host.
                new(CheckKind.Dynamic, RuleFamily.Traffic, "No cleartext traffic in passthrough", "MASTG-TEST-0236", Severity.High),
            ]),
        new(Network2, M1, "TLS settings", "The TLS settings are in line with current best practices, or as close as possible if the OS does not support the recommended standards.",
            Profile.L1, Severity.High, ["MASTG-TEST-0066"], WeakTls,
            [
                new(CheckKind.Static, RuleFamily.Ats, "ATS exceptions keep TLS 1.2 and forward secrecy", "MASTG-TEST-0342", Severity.High),
                new(CheckKind.Static, RuleFamily.Binary, "Code keeps the TLS minimum at 1.2 and embedded TLS stacks are known", "MASTG-TEST-0343", Severity.High),
                new(CheckKind.Dynamic, RuleFamily.Traffic, "TLS settings: the app offers and accepts only TLS an ATS client may", "MASTG-TEST-0066", Severity.High),
                new(CheckKind.Server, RuleFamily.Server, "The endpoint serves TLS 1.2+, forward secrecy, strong suites and a valid chain that default ATS accepts", "MASTG-TEST-0066", Severity.High),
            ]),
        new(Network3, M1, "Endpoint identity", "The app verifies the X.509 certificate of the remote endpoint when the secure channel is established; only certificates signed by a trusted CA are accepted.",
            Profile.L1, Severity.Critical, ["MASTG-TEST-0067"], CertificateNotValidated,
            [
                new(CheckKind.Static, RuleFamily.Ats, "ATS is in effect (SDK iOS 9 or later)", "MASTG-TEST-0067", Severity.High),
                new(CheckKind.Static, RuleFamily.Binary, "Server trust evaluation is not bypassed", "MASTG-TEST-0396", Severity.Critical),
                new(CheckKind.Dynamic, RuleFamily.Traffic, "The endpoint's certificate is verified", "MASTG-TEST-0067", Severity.Critical),
            ]),
        new(Network4, M2, "Pinning", "The app either uses its own certificate store, or pins the endpoint certificate or public key, and does not establish connections with endpoints that offer a different certificate or key, even if signed by a trusted CA.",
            Profile.L2, Severity.Medium, ["MASTG-TEST-0068"], PinningMissing,
            [
                new(CheckKind.Static, RuleFamily.Pinning, "Endpoint identity is pinned with valid pins and a backup", "MASTG-TEST-0385", Severity.High),
                new(CheckKind.Static, RuleFamily.Bundle, "Bundled certificates and client identities are safe", "MASTG-TEST-0068", Severity.Medium),
                new(CheckKind.Dynamic, RuleFamily.Traffic, "Pinning refuses a trusted interception CA", "MASTG-TEST-0244", Severity.High),
                new(CheckKind.Server, RuleFamily.Server, "The app's pins match the chain the endpoint serves", RuleCatalog.PinNoMatch, Severity.High),
            ]),
        new(Network5, M1, "Channels", "The app does not rely on a single insecure communication channel (e-mail or SMS) for critical operations, such as enrollments and account recovery.",
            Profile.L1, Severity.Low, [], InsecureChannel,
            [
                new(CheckKind.Static, RuleFamily.Channel, "Critical operations do not rely on SMS or e-mail (reviewed and attested)", RuleCatalog.ChannelSmsEmail, Severity.Low, Manual: true),
            ]),
        new(Network6, M1, "Libraries", "The app only depends on up-to-date connectivity and security libraries.",
            Profile.L1, Severity.High, [], OutdatedLibrary,
            [
                new(CheckKind.Static, RuleFamily.Library, "Networking libraries are maintained and have no known advisory", RuleCatalog.LibVulnerable, Severity.High),
            ]),
    ];

    private static readonly Dictionary<string, RequirementDescriptor> ById = All.ToDictionary(r => r.MstgId, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<RequirementDescriptor> Requirements => All;

    /// <summary>The requirement <paramref name="mstgId"/> (case-insensitive); an unknown id is a programming error.</summary>
    public static RequirementDescriptor Get(string mstgId) =>
        ById.TryGetValue(mstgId, out var r) ? r : throw new KeyNotFoundException($"Unknown requirement '{mstgId}' (known: {string.Join(", ", All.Select(a => a.MstgId))}).");

    public static bool TryGet(string mstgId, out RequirementDescriptor? requirement) => ById.TryGetValue(mstgId, out requirement);

    /// <summary>Every failure category, in the order Allure tries them (first match wins; tags are distinct, so order only affects display).</summary>
    public static IReadOnlyList<FailureCategory> Categories { get; } =
        [CertificateNotValidated, Cleartext, PinningMissing, WeakTls, OutdatedLibrary, InsecureChannel];
}
