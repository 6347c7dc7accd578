using System.Text;
using Mstg.Analysis.Ats;
using Mstg.Analysis.Rules;
using Mstg.Plist;

namespace Mstg.Analysis.Tests.Ats;

/// <summary>Builds Info.plist trees for the rule tests by parsing real XML with the project's PlistReader.</summary>
internal static class InfoPlists
{
    public const string Bundle = "Payload/App.app";

    /// <summary>An Info.plist whose top-level dict holds <paramref name="topLevel"/> (raw XML key/value pairs).</summary>
    public static PlistDict Info(string topLevel)
    {
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0">
            <dict>
            <key>CFBundleIdentifier</key><string>$(PRODUCT_BUNDLE_IDENTIFIER)</string>
            {topLevel}
            </dict>
            </plist>
            """;
        return (PlistDict)PlistReader.Read(Encoding.UTF8.GetBytes(xml), "test Info.plist").Root;
    }

    /// <summary>An Info.plist with an NSAppTransportSecurity dict holding <paramref name="ats"/>, plus optional other top-level keys.</summary>
    public static PlistDict WithAts(string ats, string other = "") =>
        Info($"<key>NSAppTransportSecurity</key><dict>{ats}</dict>{other}");

    /// <summary>An NSExceptionDomains block with one domain.</summary>
    public static string Domain(string domain, string settings) =>
        $"<key>NSExceptionDomains</key><dict><key>{domain}</key><dict>{settings}</dict></dict>";

    public static IReadOnlyList<Finding> Scan(PlistDict info) => AtsRules.Evaluate(info, BundleTarget.Read(info), Bundle);

    /// <summary>Findings as sorted "RULE@domain-or-last-key" strings, the same shape the corpus expectations use.</summary>
    public static IReadOnlyList<string> Ids(IEnumerable<Finding> findings) =>
        findings.Select(Key).OrderBy(s => s, StringComparer.Ordinal).ToList();

    /// <summary>Key-level rules are identified by the key they are about, domain-level rules by the domain.</summary>
    public static string Key(Finding f)
    {
        var path = f.Location[(f.Location.IndexOf(':') + 1)..];
        var lastKey = f.Domain is { } d && path.EndsWith(d, StringComparison.Ordinal) ? d : path[(path.LastIndexOf('/') + 1)..];
        var keyLevel = f.RuleId is RuleCatalog.AtsUnknownKey or RuleCatalog.AtsLegacyKey or RuleCatalog.AtsInvalidValue or RuleCatalog.AtsUnresolvedVariable;
        return $"{f.RuleId}@{(keyLevel ? lastKey : f.Domain ?? lastKey)}";
    }
}
