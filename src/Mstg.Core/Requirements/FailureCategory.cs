namespace Mstg;

/// <summary>
/// How a failing test of a requirement is filed (an Allure category): its message starts with <c>[Tag]</c>
/// (docs/allure.md), and the report groups failures by <see cref="Name"/>. One per requirement, in <see cref="RequirementTable"/>.
/// </summary>
public sealed record FailureCategory(string Tag, string Name, string Description)
{
    public const string CertificateNotValidatedTag = "cert-not-validated";
    public const string CleartextTag = "cleartext";
    public const string PinningMissingTag = "pinning-missing";
    public const string WeakTlsTag = "weak-tls";
    public const string OutdatedLibraryTag = "outdated-library";
    public const string InsecureChannelTag = "insecure-channel";
}
