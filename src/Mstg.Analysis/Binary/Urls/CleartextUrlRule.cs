using System.Net;
using Mstg.Analysis.Binary.Urls;
using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Binary;

/// <summary>
/// BIN-CLEARTEXT-URL (MASTG-TEST-0321) and BIN-LOCAL-URL: hard-coded http:// URLs, and URLs whose host ATS does not
/// protect (IP literals, unqualified names, .local), in the executable's string sections and in text resources.
/// One finding per distinct URL per bundle, listing every place it was seen. Identifiers that only look like
/// endpoints (XML namespaces, DTDs …) are excluded by the data in url-exclusions.json.
/// </summary>
public sealed class CleartextUrlRule(UrlExclusions? exclusions = null) : IBundleRule
{
    private const int MaxLocationsPerUrl = 10;
    private readonly UrlExclusions _exclusions = exclusions ?? UrlExclusions.Default;

    public IEnumerable<Finding> Evaluate(BundleContext context)
    {
        var view = ExecutableView.For(context);
        var seen = new Dictionary<string, (UrlCandidate Url, List<string> Places)>(StringComparer.Ordinal);
        var target = context.Info is { } info ? BundleTarget.Read(info, context.Executable?.Primary?.Build) : null;
        var findings = new List<Finding>();

        foreach (var (url, location) in view.Urls) Record(url, location);

        var resourcesScanned = 0;
        var truncated = new List<string>();
        foreach (var file in context.Bundle.Files.Where(TextResourceReader.IsTextResource))
        {
            string text;
            try
            {
                (text, var cut) = TextResourceReader.Read(context.Package.Files, file);
                if (cut) truncated.Add(file.Path);
            }
            catch (MstgInputException e)
            {
                findings.Add(RuleFindings.Create(context, RuleCatalog.BinCleartextUrl, Verdict.Skipped,
                    $"Resource {file.Path} could not be read ({e.Problem}), so it was not searched for http:// URLs.", file.Path));
                continue;
            }
            resourcesScanned++;
            foreach (var url in UrlExtractor.Extract(text)) Record(url, file.Path);
        }

        var cleartext = 0;
        foreach (var (url, places) in seen.Values)
        {
            var evidence = RuleFindings.JoinEvidence(places.Prepend(url.Url), MaxLocationsPerUrl + 1);
            if (url.IsCleartext)
            {
                cleartext++;
                findings.Add(RuleFindings.Create(context, RuleCatalog.BinCleartextUrl, Verdict.Warn,
                    $"Hard-coded cleartext URL {url.Url} ({places.Count} place(s)). If the app connects to it, traffic can be read and changed " +
                    "on the network; ATS blocks it only when no exception allows it and the URL Loading System is used. Confirm whether it is " +
                    "used (MASTG-TEST-0321/0236) and switch it to https://.",
                    places[0], evidence, url.Host));
            }
            if (url.LocalReason is { } reason && LocalUrlMessage(url, reason, target) is { } message)
                findings.Add(RuleFindings.Create(context, RuleCatalog.BinLocalUrl, Verdict.Info, message, places[0], evidence, url.Host));
        }

        var binaryPart = view.ContentsReadable ? $"{view.Strings.Count} strings of {view.ExecutableName}" : null;
        var resourcePart = resourcesScanned > 0 ? $"{resourcesScanned} text resource file(s)" : null;
        var scanned = string.Join(" and ", new[] { binaryPart, resourcePart }.Where(p => p is not null));
        if (view.Blocked)
        {
            findings.Add(view.Skipped(RuleCatalog.BinCleartextUrl, "The executable's strings"));
            findings.Add(view.Skipped(RuleCatalog.BinLocalUrl, "The executable's strings"));
        }
        else if (cleartext == 0 && scanned.Length > 0)
        {
            findings.Add(RuleFindings.Create(context, RuleCatalog.BinCleartextUrl, Verdict.Pass,
                $"No http:// URL found in {scanned} (namespace and DTD identifiers excluded).",
                view.HasImage ? view.FileLocation : context.Bundle.Path,
                truncated.Count == 0 ? null : "Only the first 4 MiB were searched of: " + string.Join(", ", truncated)));
        }
        return findings;

        void Record(UrlCandidate url, string place)
        {
            if (_exclusions.Match(url) is not null) return;
            if (!url.IsCleartext && url.LocalReason is null) return;
            if (!seen.TryGetValue(url.Url, out var entry)) seen[url.Url] = entry = (url, []);
            if (entry.Places.Count < 1000 && !entry.Places.Contains(place)) entry.Places.Add(place);
        }
    }

    /// <summary>ATS applies to public IP addresses from iOS 17 / macOS 14 (Apple, NSAllowsLocalNetworking and NSExceptionDomains).</summary>
    private static Version PublicIpCovered(BundleTarget? target) =>
        target?.Platform == TargetPlatform.MacOS ? new Version(14, 0) : new Version(17, 0);

    /// <summary>
    /// The BIN-LOCAL-URL message for the app's deployment target, or null when ATS protects the host on every OS version
    /// the app supports (a public IP address with a deployment target of iOS 17 or later).
    /// </summary>
    public static string? LocalUrlMessage(UrlCandidate url, string reason, BundleTarget? target)
    {
        var what = url.IsCleartext ? "this cleartext connection is allowed" : "TLS settings are not enforced";
        const string advice = " Make sure it is only a genuine local-network feature or a debug leftover removed from release builds.";
        if (!url.IsPublicIpAddress)
            return $"URL {url.Url} points at a {(url.Host is not null && IPAddress.TryParse(url.Host.Trim('[', ']'), out _) ? "private, link-local or loopback " : "")}{reason}; " +
                   $"ATS does not protect such hosts on any OS version, so {what} whatever the Info.plist says.{advice}";
        var os = target?.OsName ?? "iOS";
        var covered = PublicIpCovered(target);
        if (target?.MinimumOs is { } minimum && minimum >= covered) return null;
        var supports = target?.MinimumOs is { } m
            ? $"the app supports {os} {m} ({target.MinimumOsSource})"
            : "the deployment target is unknown";
        return $"URL {url.Url} points at a public {reason}. ATS covers public IP addresses only from {os} {covered.ToString(2)}, and {supports}: " +
               $"on older devices ATS does not protect it, so there {what}.{advice}";
    }
}
