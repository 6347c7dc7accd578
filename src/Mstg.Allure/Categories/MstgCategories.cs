using Mstg.Allure.Model;

namespace Mstg.Allure.Categories;

/// <summary>
/// The product's failure categories and the message convention that feeds them (documented in docs/allure.md):
/// a failure message of our suites STARTS with a category tag in square brackets, e.g.
/// <c>[cleartext] http://api.example.com was loaded without TLS</c>. <see cref="Tag"/> builds such messages.
/// Environment problems are also recognised by the typical messages of the tools themselves, because those
/// come from exceptions we do not word ourselves.
/// The regexes must mean the same to both readers: Allure 2 applies them with Java <c>matches()</c> (whole message,
/// '.' matches line breaks), Allure 3 with JavaScript <c>RegExp.test</c> (a search, no flags). Hence the
/// <c>.*…*</c> wrapping and no inline flags.
/// </summary>
public static class MstgCategories
{
    // The product categories are the requirements' (RequirementTable in src/Mstg.Core); these names stay for callers.
    public const string CertificateNotValidated = FailureCategory.CertificateNotValidatedTag;
    public const string Cleartext = FailureCategory.CleartextTag;
    public const string PinningMissing = FailureCategory.PinningMissingTag;
    public const string WeakTls = FailureCategory.WeakTlsTag;
    public const string OutdatedLibrary = FailureCategory.OutdatedLibraryTag;
    public const string InsecureChannel = FailureCategory.InsecureChannelTag;
    public const string Environment = "environment";

    private static readonly List<Status> Defects = [Status.Failed, Status.Broken];

    /// <summary>Prefixes <paramref name="message"/> with the category tag, e.g. <c>[weak-tls] …</c>.</summary>
    public static string Tag(string category, string message) => $"[{category}] {message}";

    /// <summary>One category per requirement (<see cref="RequirementTable.Categories"/>), then environment problems.</summary>
    public static IReadOnlyList<Category> All { get; } =
    [
        .. RequirementTable.Categories.Select(c => Tagged(c.Name, c.Tag, c.Description)),
        new Category
        {
            Name = "Environment problem",
            Description = "Device, Appium, simulator or interception proxy not available; the app was not tested.",
            // No inline flags such as (?i): Allure 3 compiles these with JavaScript RegExp, which rejects them.
            MessageRegex = $@".*(\[{Environment}\]|[Cc]onnection refused|[Aa]ppium server|[Nn]o device|[Dd]evice not found|[Pp]roxy (is )?unavailable|[Ss]imulator (is )?not (available|booted)).*",
            MatchedStatuses = [Status.Broken, Status.Failed, Status.Skipped],
        },
    ];

    private static Category Tagged(string name, string tag, string description) => new()
    {
        Name = name,
        Description = description,
        // Anchored at the start (the convention puts the tag first) but also found after an assertion prefix
        // such as "Expected … because [cleartext] …": hence .* on both sides.
        MessageRegex = $@".*\[{tag}\].*",
        MatchedStatuses = Defects,
    };
}
