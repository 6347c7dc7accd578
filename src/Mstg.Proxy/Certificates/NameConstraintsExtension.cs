using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Mstg.Proxy.Certificates;

/// <summary>
/// Builds the RFC 5280 NameConstraints extension (OID 2.5.29.30) by hand: .NET has no typed builder for it.
/// Only permitted dNSName subtrees are written, which is enough to keep a leaked run CA from vouching for
/// any host outside the scope under test.
/// </summary>
public static class NameConstraintsExtension
{
    public const string Oid = "2.5.29.30";

    public static X509Extension Create(IEnumerable<string> permittedDnsNames)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())                                            // NameConstraints
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0))) // permittedSubtrees [0]
            {
                foreach (var name in permittedDnsNames.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    using (writer.PushSequence())                                // GeneralSubtree
                    {
                        // base GeneralName: dNSName [2] IA5String, implicitly tagged.
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, name,
                            new Asn1Tag(TagClass.ContextSpecific, 2));
                    }
                }
            }
        }
        // RFC 5280 4.2.1.10: conforming CAs MUST mark this extension critical.
        return new X509Extension(Oid, writer.Encode(), critical: true);
    }

    /// <summary>Reads the permitted dNSName subtrees back (used by tests and `mstg ca export` output).</summary>
    public static IReadOnlyList<string> ReadPermittedDnsNames(X509Extension extension)
    {
        var names = new List<string>();
        var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
        var constraints = reader.ReadSequence();
        if (!constraints.HasData) return names;
        var permittedTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (!constraints.PeekTag().HasSameClassAndValue(permittedTag)) return names;
        var permitted = constraints.ReadSequence(permittedTag);
        while (permitted.HasData)
        {
            var subtree = permitted.ReadSequence();
            var tag = subtree.PeekTag();
            if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 2)))
                names.Add(subtree.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 2)));
            else
                subtree.ReadEncodedValue();
        }
        return names;
    }

    /// <summary>
    /// Turns a scope glob into the dNSName subtree that covers it: "*.example.com" → "example.com"
    /// (a dNSName constraint permits the name and all its subdomains). Globs with inner wildcards are widened
    /// to the part after the last '*', which is broader than the glob but never narrower.
    /// </summary>
    public static string? SubtreeForGlob(string glob)
    {
        var star = glob.LastIndexOf('*');
        var rest = (star < 0 ? glob : glob[(star + 1)..]).TrimStart('.');
        return rest.Contains('.') ? rest.ToLowerInvariant() : null; // never constrain to a bare TLD or nothing
    }
}
