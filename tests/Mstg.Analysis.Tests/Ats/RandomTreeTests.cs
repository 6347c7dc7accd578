using System.Numerics;
using Mstg.Analysis.Ats;
using Mstg.Analysis.Pinning;
using Mstg.Analysis.Rules;
using Mstg.Plist;

namespace Mstg.Analysis.Tests.Ats;

/// <summary>
/// Seeded random Info.plist trees built from the ATS, pinning and TrustKit vocabulary with every value type in
/// every place: the rules must never throw, and every finding must be well formed.
/// </summary>
public class RandomTreeTests
{
    private static readonly string[] Keys =
    [
        "NSAppTransportSecurity", "NSAllowsArbitraryLoads", "NSAllowsArbitraryLoadsForMedia", "NSAllowsArbitraryLoadsInWebContent",
        "NSAllowsLocalNetworking", "NSExceptionDomains", "NSPinnedDomains", "NSIncludesSubdomains", "NSExceptionAllowsInsecureHTTPLoads",
        "NSExceptionMinimumTLSVersion", "NSExceptionRequiresForwardSecrecy", "NSRequiresCertificateTransparency",
        "NSTemporaryExceptionAllowsInsecureHTTPLoads", "NSThirdPartyExceptionMinimumTLSVersion", "NSPinnedCAIdentities",
        "NSPinnedLeafIdentities", "SPKI-SHA256-BASE64", "TSKConfiguration", "TSKPinnedDomains", "TSKPublicKeyHashes",
        "TSKEnforcePinning", "TSKIncludeSubdomains", "TSKExpirationDate", "MinimumOSVersion", "LSMinimumSystemVersion",
        "DTSDKName", "DTPlatformVersion", "example.com", "Example.COM", "a.example.com", "$(HOST)", "http://x.org", "10.0.0.0/8",
        "", "nsapptransportsecurity", "localhost",
        // Listed twice: since Booleans are read strictly, weakening domain entries with subdomains need more draws to appear.
        "NSIncludesSubdomains", "NSExceptionAllowsInsecureHTTPLoads",
    ];

    private static readonly string[] Strings =
    [
        "YES", "NO", "true", "0", "1", "TLSv1.0", "TLSv1.2", "TLSv1.5", "$(MIN_TLS)", "9.0", "12.0", "iphoneos8.1", "macosx10.10",
        "2020-01-01", "2099-12-31", "not-a-date", "C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=", "abc", "", "${X:rfc1034identifier}",
    ];

    [Fact]
    public void Random_trees_never_crash_the_rules()
    {
        var random = new Random(20261121);
        var now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var seen = new HashSet<string>();
        for (var i = 0; i < 6000; i++)
        {
            // TrustKit in only half the trees: with it present PIN-ATS-UNSUPPORTED-OS (NSPinnedDomains as the only pinning) cannot fire.
            var info = random.Next(2) == 0 ? Dict(random, 0, "NSAppTransportSecurity", "TSKConfiguration") : Dict(random, 0, "NSAppTransportSecurity");
            var findings = AtsRules.Evaluate(info, BundleTarget.Read(info), "App.app")
                .Concat(PinningConfigRules.Evaluate(info, now, "App.app")).ToList();
            foreach (var f in findings)
            {
                f.Location.Should().StartWith("Info.plist:");
                f.Message.Should().NotBeNullOrWhiteSpace();
                RuleCatalog.Get(f.RuleId).Should().NotBeNull();
                seen.Add(f.RuleId);
            }
            var policy = AtsPolicy.Evaluate(info);
            foreach (var host in new[] { "example.com", "a.example.com", "10.1.2.3", "printer.local", "$(HOST)", "" })
            {
                _ = policy.IsCleartextAllowed(host);
                _ = policy.MinimumTls(host, new Version(9, 0));
                _ = policy.RequiresForwardSecrecy(host, new Version(26, 0));
            }
            _ = PinningConfiguration.Read(info).IsPinned("a.example.com", now);
        }
        // The generator must reach every one of the 19 ATS and Info.plist pinning rules, or the test proves little.
        seen.Should().HaveCount(19, "rules reached: {0}", string.Join(", ", seen));
    }

    private static readonly HashSet<string> Containers =
    [
        "NSAppTransportSecurity", "NSExceptionDomains", "NSPinnedDomains", "TSKConfiguration", "TSKPinnedDomains",
        "example.com", "Example.COM", "a.example.com", "$(HOST)", "http://x.org", "10.0.0.0/8", "localhost",
    ];

    private static readonly HashSet<string> Lists = ["NSPinnedCAIdentities", "NSPinnedLeafIdentities", "TSKPublicKeyHashes"];

    /// <summary>
    /// Keys Apple's ATS reader takes only as a Boolean (a string is ignored), so well-shaped trees give them one; without
    /// it the weakening domain rules are rarely reached.
    /// </summary>
    private static readonly HashSet<string> Booleans =
    [
        "NSAllowsArbitraryLoads", "NSAllowsArbitraryLoadsForMedia", "NSAllowsArbitraryLoadsInWebContent", "NSAllowsLocalNetworking",
        "NSIncludesSubdomains", "NSExceptionAllowsInsecureHTTPLoads", "NSExceptionRequiresForwardSecrecy", "NSRequiresCertificateTransparency",
        "NSTemporaryExceptionAllowsInsecureHTTPLoads",
    ];

    /// <summary>A value for <paramref name="key"/>: usually the shape Apple expects (so the deep rules run), sometimes anything.</summary>
    private static PlistNode Node(Random random, int depth, string? key = null)
    {
        var wellShaped = random.Next(5) != 0;
        if (depth < 5 && key is not null && wellShaped && Containers.Contains(key)) return Dict(random, depth + 1);
        if (key is not null && wellShaped && Booleans.Contains(key)) return new PlistBoolean(random.Next(2) == 1);
        if (key is not null && wellShaped && key.EndsWith("MinimumTLSVersion", StringComparison.Ordinal))
            return new PlistString(random.Next(3) switch { 0 => "TLSv1.0", 1 => "TLSv1.2", _ => "TLSv1.5" });
        if (depth < 5 && key is not null && wellShaped && Lists.Contains(key))
            return new PlistArray(Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(2) == 0
                ? new PlistString(Strings[random.Next(Strings.Length)])
                : (PlistNode)new PlistDict([new PlistEntry("SPKI-SHA256-BASE64", new PlistString(Strings[random.Next(Strings.Length)]), PlistPosition.Unknown)])).ToList());
        return random.Next(depth > 4 ? 7 : 9) switch
        {
            0 or 1 => new PlistString(Strings[random.Next(Strings.Length)]),
            2 or 3 => new PlistBoolean(random.Next(2) == 1),
            4 => new PlistInteger(new BigInteger(random.Next(-2, 3))),
            5 => new PlistReal(random.NextDouble()),
            6 => new PlistDate(new DateTimeOffset(2000 + random.Next(40), 1, 1, 0, 0, 0, TimeSpan.Zero)),
            7 => new PlistArray(Enumerable.Range(0, random.Next(4)).Select(_ => Node(random, depth + 1)).ToList()),
            _ => Dict(random, depth + 1),
        };
    }

    private static PlistDict Dict(Random random, int depth, params string[] always) =>
        new(always.Concat(Enumerable.Range(0, random.Next(1, 7)).Select(_ => Keys[random.Next(Keys.Length)]))
            .Select(k => new PlistEntry(k, Node(random, depth, k), PlistPosition.Unknown)).ToList());
}
