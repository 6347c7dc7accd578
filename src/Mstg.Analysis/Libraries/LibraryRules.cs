using System.Globalization;
using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Libraries;

/// <summary>
/// LIB-INVENTORY, LIB-VULNERABLE and LIB-DEPRECATED (MSTG-NETWORK-6): every networking or TLS library found in a
/// bundle, matched against the advisory data (built-in plus <see cref="ScanOptions.AdvisoryFiles"/>), its end-of-life
/// table (read against <see cref="ScanOptions.Now"/>) and the deprecation data of library-signatures.json.
/// A library the data cannot judge (version unreadable, package not covered, no version numbers at all) is a
/// LIB-VULNERABLE warning, never a silent pass: a pass names how many libraries were actually checked and the data's date.
/// </summary>
public sealed class LibraryRules(AdvisoryDatabase? advisories = null) : IBundleRule
{
    public IEnumerable<Finding> Evaluate(BundleContext context)
    {
        var view = ExecutableView.For(context);
        var database = advisories ?? AdvisoryDatabase.Of(context);
        var data = database.Describe();
        var today = DateOnly.FromDateTime(context.Options.Now.UtcDateTime);
        var libraries = LibraryDetector.Detect(context);
        var findings = new List<Finding>();
        var vulnerable = 0;
        var deprecated = 0;
        var checkedLibraries = new List<DetectedLibrary>();
        var uncheckable = 0;

        foreach (var library in libraries)
        {
            findings.Add(RuleFindings.Create(context, RuleCatalog.LibInventory, Verdict.Info,
                $"{library.Display} is part of {context.Bundle.Name}" +
                (library.ParsedVersion is null ? $"; {library.UnknownVersionReason}, so advisories cannot be checked — confirm it from the dependency manifest." :
                    $" (version from {library.VersionSource}).") +
                (library.Signature.TlsStack ? " It is a TLS stack outside ATS." : ""),
                library.Location, RuleFindings.JoinEvidence(library.Evidence)));

            var coverage = database.CoverageOf(library.Signature.Package);
            if (Uncheckable(library, coverage, data) is { } reason)
            {
                uncheckable++;
                findings.Add(RuleFindings.Create(context, RuleCatalog.LibVulnerable, Verdict.Warn, reason, library.Location,
                    RuleFindings.JoinEvidence(new[] { data }.Concat(coverage?.Sources ?? []).Concat(library.Evidence))));
            }
            else
            {
                var version = library.ParsedVersion!;
                checkedLibraries.Add(library);
                foreach (var advisory in database.Matching(library.Signature.Package, version))
                {
                    vulnerable++;
                    findings.Add(Vulnerable(context, library, version, advisory, data));
                }
                if (database.BranchOf(library.Signature.Package, version) is { } branch && branch.Date <= today)
                {
                    deprecated++;
                    findings.Add(RuleFindings.Create(context, RuleCatalog.LibDeprecated, Verdict.Warn,
                        $"{library.Display} belongs to the {library.Signature.Name} {branch.Branch} branch, end of life since {Date(branch.Date)}: " +
                        "it receives no public security fixes. Move to a supported branch.",
                        library.Location, RuleFindings.JoinEvidence([$"version {library.Version} from {library.VersionSource}", branch.Reference, data])));
                }
            }

            if (library.Signature.Deprecated is { } d && DeprecationApplies(d, library, view))
            {
                deprecated++;
                findings.Add(RuleFindings.Create(context, RuleCatalog.LibDeprecated, Verdict.Warn,
                    $"{library.Display}: {d.Reason}", library.Location,
                    RuleFindings.JoinEvidence(new[] { $"unmaintained since {d.Since}", d.Reference }.Concat(library.Evidence))));
            }
        }

        if (view.Blocked)
        {
            findings.Add(view.Skipped(RuleCatalog.LibInventory, "Library detection from the executable's strings and classes"));
            findings.Add(view.Skipped(RuleCatalog.LibVulnerable, "Library versions in the executable"));
            findings.Add(view.Skipped(RuleCatalog.LibDeprecated, "Library detection in the executable"));
        }
        else if (view.HasImage || libraries.Count > 0)
        {
            var location = view.HasImage ? view.FileLocation : context.Bundle.Path;
            // A pass must say what was checked; with nothing checkable it would claim more than was done.
            if (vulnerable == 0 && (checkedLibraries.Count > 0 || libraries.Count == 0))
                findings.Add(RuleFindings.Create(context, RuleCatalog.LibVulnerable, Verdict.Pass,
                    libraries.Count == 0
                        ? $"No library of the signature table was found in {context.Bundle.Name} ({data}, {database.Advisories.Count} advisories)."
                        : $"No known advisory among {checkedLibraries.Count} {(checkedLibraries.Count == 1 ? "library" : "libraries")} with known versions in {context.Bundle.Name} " +
                          $"({data}): {string.Join(", ", checkedLibraries.Select(l => l.Display))}." +
                          (uncheckable > 0 ? $" {uncheckable} more could not be checked (see the warnings)." : ""),
                    location));
            if (deprecated == 0)
            {
                var list = libraries.Count == 0 ? "no library of the signature table was found" : "checked: " + string.Join(", ", libraries.Select(l => l.Display));
                findings.Add(RuleFindings.Create(context, RuleCatalog.LibDeprecated, Verdict.Pass,
                    $"No unmaintained or end-of-life networking library found in {context.Bundle.Name} ({list}; {data}).", location));
            }
        }
        return findings;
    }

    /// <summary>Why the advisory data cannot judge <paramref name="library"/>, or null when it can.</summary>
    private static string? Uncheckable(DetectedLibrary library, PackageCoverage? coverage, string data)
    {
        var name = library.Signature.Name;
        if (coverage is { Versioned: false })
            return $"{library.Display}: {name} has no version numbers, so it is not covered by version advisories ({data}). " +
                   (coverage.Note ?? "Check the revision it was built from against its upstream.");
        if (coverage is null)
            return $"{library.Display}: {name} is not covered by the advisory data ({data}), so no advisory was checked. " +
                   "Check its version against the maintainers' advisories, or add them with --advisories.";
        if (library.ParsedVersion is null)
            return $"{library.Display}: its version could not be read ({library.UnknownVersionReason}), so its advisories were not checked ({data}). " +
                   "Confirm the version from the dependency manifest (Podfile.lock, Package.resolved).";
        return null;
    }

    private static Finding Vulnerable(BundleContext context, DetectedLibrary library, LibraryVersion version, Advisory advisory, string data)
    {
        var fixedIn = advisory.Affected.Where(a => string.Equals(a.Package.Name, library.Signature.Package, StringComparison.OrdinalIgnoreCase))
            .SelectMany(a => a.Ranges).SelectMany(r => r.Events).Select(e => e.Fixed).Where(f => f is not null)
            .Select(f => LibraryVersion.Parse(f!)).Where(f => f > version).Order().FirstOrDefault();
        return RuleFindings.Create(context, RuleCatalog.LibVulnerable, Verdict.Fail,
            $"{library.Display} is affected by {advisory.Id}{(advisory.Aliases.Count > 0 ? $" ({string.Join(", ", advisory.Aliases)})" : "")}: {advisory.Summary} " +
            (fixedIn is null ? "Replace the library or move to a maintained release line." : $"Update to {fixedIn} or later.") +
            (advisory.Severity is null ? "" : $" Published severity: {advisory.Severity.ToLowerInvariant()}."),
            library.Location,
            RuleFindings.JoinEvidence(new[] { $"version {library.Version} from {library.VersionSource}", $"advisory source: {advisory.Origin} ({data})" }
                .Concat(advisory.References.Select(r => r.Url))));
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool DeprecationApplies(Deprecation d, DetectedLibrary library, ExecutableView view)
    {
        if (d.Before is not null && (library.ParsedVersion is not { } v || v >= LibraryVersion.Parse(d.Before))) return false;
        if (d.WhenStrings.Count > 0 && !d.WhenStrings.Any(view.HasString)) return false;
        return true;
    }
}
