using Mstg.Analysis.Binary.Urls;

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
            if (url.LocalReason is { } reason)
                findings.Add(RuleFindings.Create(context, RuleCatalog.BinLocalUrl, Verdict.Info,
                    $"URL {url.Url} points at a {reason}; ATS does not protect such hosts, so {(url.IsCleartext ? "this cleartext connection is allowed" : "TLS settings are not enforced")} " +
                    "whatever the Info.plist says. Make sure it is only a genuine local-network feature or a debug leftover removed from release builds.",
                    places[0], evidence, url.Host));
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
}
