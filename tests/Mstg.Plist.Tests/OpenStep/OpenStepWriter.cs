using System.Text;

namespace Mstg.Plist.Tests.OpenStep;

/// <summary>
/// Test-only OpenStep text writer, used to turn the XML corpus into OpenStep inputs. The format only has strings,
/// so numbers, booleans and dates are written as their text; <see cref="Stringify"/> gives the tree a reader should
/// get back.
/// </summary>
internal static class OpenStepWriter
{
    public static string Write(PlistNode node)
    {
        var text = new StringBuilder();
        Write(node, text, 0);
        return text.ToString();
    }

    private static void Write(PlistNode node, StringBuilder text, int indent)
    {
        string pad = new(' ', 4 * (indent + 1));
        switch (node)
        {
            case PlistDict d:
                text.Append("{\n");
                foreach (var e in d.Entries)
                {
                    text.Append(pad).Append(Quote(e.Key)).Append(" = ");
                    Write(e.Value, text, indent + 1);
                    text.Append(";\n");
                }
                text.Append(new string(' ', 4 * indent)).Append('}');
                break;
            case PlistArray a:
                text.Append('(');
                for (int i = 0; i < a.Count; i++)
                {
                    if (i > 0) text.Append(", ");
                    Write(a[i], text, indent + 1);
                }
                text.Append(')');
                break;
            case PlistData data:
                text.Append('<').Append(Convert.ToHexString(data.Value.Span)).Append('>');
                break;
            case PlistString s:
                text.Append(Quote(s.Value));
                break;
            default:
                text.Append(Quote(node.ToString()!));
                break;
        }
    }

    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                case '\r': text.Append("\\r"); break;
                default:
                    if (c < 0x20 || c > 0x7E) text.Append($"\\U{(int)c:x4}");
                    else text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    /// <summary>The tree an OpenStep reader returns for <see cref="Write"/>'s output: every scalar becomes its text.</summary>
    public static PlistNode Stringify(PlistNode node) => node switch
    {
        PlistDict d => new PlistDict(d.Entries.Select(e => new PlistEntry(e.Key, Stringify(e.Value), default)).ToList()),
        PlistArray a => new PlistArray(a.Items.Select(Stringify).ToList()),
        PlistData or PlistString => node,
        _ => new PlistString(node.ToString()!),
    };
}
