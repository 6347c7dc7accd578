using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mstg.Allure.Model;

namespace Mstg.Allure.Ids;

/// <summary>
/// The identities Allure keys history and retries on. They follow allure-csharp so a report can mix our results
/// with theirs: testCaseId = md5(fullName); historyId = md5 of the compact JSON
/// <c>{"fullName":…,"parameters":[values of non-excluded parameters, ordered by name]}</c>.
/// Current Allure 2 (≥ 2.45) and Allure 3 recompute their own key from testCaseId + parameters, so what really
/// matters is that fullName and the non-excluded parameter values are stable from run to run.
/// </summary>
public static class AllureIds
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        // Newtonsoft (used by allure-csharp) leaves non-ASCII unescaped; do the same so ids agree.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Md5Hex(string text) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    public static string TestCaseId(string fullName) => Md5Hex(fullName);

    public static string HistoryId(string fullName, IEnumerable<Parameter> parameters)
    {
        var values = parameters
            .Where(p => !p.Excluded)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Value)
            .ToArray();
        var json = JsonSerializer.Serialize(new HistoryKey(fullName, values), Compact);
        return Md5Hex(json);
    }

    /// <summary>A fresh id for uuids and file names ("N" format: 32 hex digits, always a valid attachment source).</summary>
    public static string NewUuid() => Guid.NewGuid().ToString("N");

    // Property names are written as declared, so they must be lower-case to give {"fullName":…,"parameters":[…]}.
    private sealed record HistoryKey(string fullName, string[] parameters);
}
