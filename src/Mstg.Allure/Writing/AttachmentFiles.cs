using System.Text;
using System.Text.RegularExpressions;

namespace Mstg.Allure.Writing;

/// <summary>
/// Names of attachment files. Allure resolves <c>attachments[].source</c> as a bare file name matching
/// <see cref="SourcePattern"/>; anything else (a sub-folder, a space, a colon) is dropped SILENTLY and the
/// report shows an empty attachment. So the file name is always <c>&lt;uuid&gt;-attachment.&lt;ext&gt;</c> built from
/// safe characters, and the caller's name — whatever it contains — is kept only as the display name.
/// </summary>
public static partial class AttachmentFiles
{
    public const string SourcePattern = "^[A-Za-z0-9._-]{1,100}$";

    [GeneratedRegex(SourcePattern)]
    private static partial Regex SourceRegex();

    public static bool IsValidSource(string source) => SourceRegex().IsMatch(source);

    /// <summary>A file name for new attachment <paramref name="uuid"/> with the (sanitised) extension.</summary>
    public static string SourceName(string uuid, string? extension)
    {
        var safeUuid = Sanitize(uuid, 40);
        if (safeUuid.Length == 0) safeUuid = Ids.AllureIds.NewUuid();
        var ext = Sanitize((extension ?? "").TrimStart('.'), 16).Trim('.');
        var name = ext.Length == 0 ? $"{safeUuid}-attachment" : $"{safeUuid}-attachment.{ext}";
        return name;
    }

    /// <summary>Keeps [A-Za-z0-9._-], turns every other character into '_' and cuts to <paramref name="max"/>.</summary>
    public static string Sanitize(string text, int max)
    {
        var sb = new StringBuilder(Math.Min(text.Length, max));
        foreach (var c in text)
        {
            if (sb.Length == max) break;
            sb.Append(c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-' ? c : '_');
        }
        return sb.ToString();
    }
}
