namespace Mstg.Allure.Domain;

/// <summary>Links into the OWASP MAS site for the requirement ids our tests carry.</summary>
public static class MstgLinks
{
    public static string MastgTest(string mastgTestId) => $"https://mas.owasp.org/MASTG/tests/ios/MASVS-NETWORK/{mastgTestId}/";

    public static string MasvsControl(string masvsId) => $"https://mas.owasp.org/MASVS/controls/{masvsId}/";

    /// <summary>
    /// The MASVS v2 control an MSTG v1 network requirement belongs to, as src/Mstg.Core/RuleCatalog maps it:
    /// pinning (MSTG-NETWORK-4) is MASVS-NETWORK-2, every other network requirement secures the channel (MASVS-NETWORK-1).
    /// </summary>
    public static string? MasvsFor(string mstgId) => mstgId.ToUpperInvariant() switch
    {
        "MSTG-NETWORK-4" => "MASVS-NETWORK-2",
        "MSTG-NETWORK-1" or "MSTG-NETWORK-2" or "MSTG-NETWORK-3" or "MSTG-NETWORK-5" or "MSTG-NETWORK-6" => "MASVS-NETWORK-1",
        _ => null,
    };
}
