using Mstg.Analysis.Binary;

namespace Mstg.Analysis.Libraries;

/// <summary>
/// LIB-INVENTORY, LIB-VULNERABLE and LIB-DEPRECATED (MSTG-NETWORK-6): every networking or TLS library found in a
/// bundle, matched against the advisories (built-in plus <see cref="ScanOptions.AdvisoryFiles"/>) and the
/// deprecation data of library-signatures.json.
/// </summary>
public sealed class LibraryRules(AdvisoryDatabase? advisories = null) : IBundleRule
{
    private readonly Dictionary<string, AdvisoryDatabase> _byFiles = new(StringComparer.Ordinal);

    public IEnumerable<Finding> Evaluate(BundleContext context)
    {
        var view = ExecutableView.For(context);
        var database = advisories ?? DatabaseFor(context.Options.AdvisoryFiles);
        var libraries = LibraryDetector.Detect(context);
        var findings = new List<Finding>();
        var vulnerable = 0;
        var deprecated = 0;

        foreach (var library in libraries)
        {
            findings.Add(RuleFindings.Create(context, RuleCatalog.LibInventory, Verdict.Info,
                $"{library.Display} is part of {context.Bundle.Name}" +
                (library.Version is null ? "; its version could not be read, so advisories cannot be checked — confirm it from the dependency manifest." :
                    $" (version from {library.VersionSource}).") +
                (library.Signature.TlsStack ? " It is a TLS stack outside ATS." : ""),
                library.Location, RuleFindings.JoinEvidence(library.Evidence)));

            if (library.ParsedVersion is { } version)
                foreach (var advisory in database.Matching(library.Signature.Package, version))
                {
                    vulnerable++;
                    var fixedIn = advisory.Affected.Where(a => string.Equals(a.Package.Name, library.Signature.Package, StringComparison.OrdinalIgnoreCase))
                        .SelectMany(a => a.Ranges).SelectMany(r => r.Events).Select(e => e.Fixed).Where(f => f is not null)
                        .Select(f => LibraryVersion.Parse(f!)).Where(f => f > version).Order().FirstOrDefault();
                    findings.Add(RuleFindings.Create(context, RuleCatalog.LibVulnerable, Verdict.Fail,
                        $"{library.Display} is affected by {advisory.Id}{(advisory.Aliases.Count > 0 ? $" ({string.Join(", ", advisory.Aliases)})" : "")}: {advisory.Summary} " +
                        (fixedIn is null ? "Replace the library or move to a maintained release line." : $"Update to {fixedIn} or later."),
                        library.Location,
                        RuleFindings.JoinEvidence(new[] { $"version {library.Version} from {library.VersionSource}", $"advisory source: {advisory.Origin}" }
                            .Concat(advisory.References.Select(r => r.Url)))));
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
            var checkedList = libraries.Count == 0 ? "no library of the signature table was found" : "checked: " + string.Join(", ", libraries.Select(l => l.Display));
            if (vulnerable == 0)
                findings.Add(RuleFindings.Create(context, RuleCatalog.LibVulnerable, Verdict.Pass,
                    $"No known advisory matches the libraries of {context.Bundle.Name} ({checkedList}; {database.Advisories.Count} advisories).",
                    view.HasImage ? view.FileLocation : context.Bundle.Path));
            if (deprecated == 0)
                findings.Add(RuleFindings.Create(context, RuleCatalog.LibDeprecated, Verdict.Pass,
                    $"No unmaintained networking library found in {context.Bundle.Name} ({checkedList}).",
                    view.HasImage ? view.FileLocation : context.Bundle.Path));
        }
        return findings;
    }

    private static bool DeprecationApplies(Deprecation d, DetectedLibrary library, ExecutableView view)
    {
        if (d.Before is not null && (library.ParsedVersion is not { } v || v >= LibraryVersion.Parse(d.Before))) return false;
        if (d.WhenStrings.Count > 0 && !d.WhenStrings.Any(view.HasString)) return false;
        return true;
    }

    private AdvisoryDatabase DatabaseFor(IReadOnlyList<string> files)
    {
        if (files.Count == 0) return AdvisoryDatabase.BuiltIn;
        var key = string.Join("\n", files);
        lock (_byFiles)
        {
            if (!_byFiles.TryGetValue(key, out var db)) _byFiles[key] = db = AdvisoryDatabase.WithFiles(files);
            return db;
        }
    }
}
