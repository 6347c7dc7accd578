namespace Mstg.Allure.Domain;

/// <summary>Links into the OWASP MAS site for the requirement ids our tests carry.</summary>
public static class MstgLinks
{
    public static string MastgTest(string mastgTestId) => $"https://mas.owasp.org/MASTG/tests/ios/MASVS-NETWORK/{mastgTestId}/";

    public static string MasvsControl(string masvsId) => $"https://mas.owasp.org/MASVS/controls/{masvsId}/";

    /// <summary>
    /// The MASVS v2 control an MSTG v1 network requirement belongs to, from <see cref="RequirementTable"/> (src/Mstg.Core):
    /// pinning (MSTG-NETWORK-4) is MASVS-NETWORK-2, every other network requirement secures the channel (MASVS-NETWORK-1).
    /// Null for an id the table does not know.
    /// </summary>
    public static string? MasvsFor(string mstgId) => RequirementTable.TryGet(mstgId, out var requirement) ? requirement!.MasvsId : null;
}
