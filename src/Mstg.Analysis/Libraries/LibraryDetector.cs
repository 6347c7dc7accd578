using Mstg.Analysis.Rules;
using Mstg.Plist;

namespace Mstg.Analysis.Libraries;

/// <summary>A library found in one bundle: its version when one could be read, how it was found, and where.</summary>
public sealed record DetectedLibrary(LibrarySignature Signature, string? Version, string? VersionSource, IReadOnlyList<string> Evidence, string Location)
{
    public LibraryVersion? ParsedVersion => LibraryVersion.TryParse(Version, out var v) ? v : null;
    public string Display => Version is null ? $"{Signature.Name} (version unknown)" : $"{Signature.Name} {Version}";

    /// <summary>Why no usable version was read, in words for a verdict; null when the version is known.</summary>
    public string? UnknownVersionReason
    {
        get
        {
            if (ParsedVersion is not null) return null;
            if (Version is not null)
                return Version.Contains("$(", StringComparison.Ordinal)
                    ? $"its {VersionSource} is '{Version}', a build variable Xcode never resolved"
                    : $"its {VersionSource} '{Version}' is not a version number";
            if (Evidence.Any(e => e.StartsWith("framework", StringComparison.Ordinal)))
                return "its framework Info.plist has no CFBundleShortVersionString and the code has no version string";
            if (Evidence.All(e => e.StartsWith("defines Swift symbols", StringComparison.Ordinal)))
                return "it is statically linked Swift code, which keeps no version number";
            return "it is linked statically and the code has no version string";
        }
    }
}

/// <summary>
/// Applies the signature table to one bundle: the framework folder and its Info.plist, classes, Swift modules and C
/// symbols the executable defines, and version banners in its strings. Symbols the bundle only imports are not
/// counted: they belong to the framework bundle that defines them, which is inventoried on its own.
/// </summary>
public static class LibraryDetector
{
    private const int MaxBannerLength = 512;

    // Two rules (inventory/advisories and embedded TLS stacks) ask for the same bundle's libraries; detection walks
    // every string of the executable, so it is done once per bundle and kept on the bundle's view.
    public static IReadOnlyList<DetectedLibrary> Detect(BundleContext context, IReadOnlyList<LibrarySignature>? signatures = null)
    {
        if (signatures is not null) return DetectAll(context, signatures);
        var view = ExecutableView.For(context);
        return view.Derived<IReadOnlyList<DetectedLibrary>>(() => DetectAll(context, LibrarySignatures.All));
    }

    private static IReadOnlyList<DetectedLibrary> DetectAll(BundleContext context, IReadOnlyList<LibrarySignature> signatures)
    {
        var view = ExecutableView.For(context);
        var found = new List<DetectedLibrary>();
        foreach (var signature in signatures)
            if (DetectOne(context, view, signature) is { } library) found.Add(library);

        // A symbol-only match is dropped when a library that reuses those names (BoringSSL for OpenSSL) was found too.
        return found.Where(l => l.Version is not null || l.Evidence.Any(e => e.StartsWith("framework", StringComparison.Ordinal))
                                || !l.Signature.ExcludedBy.Any(x => found.Any(f => f.Signature.Name == x))).ToList();
    }

    private static DetectedLibrary? DetectOne(BundleContext context, ExecutableView view, LibrarySignature signature)
    {
        var evidence = new List<string>();
        string? version = null, versionSource = null, location = null;

        var bundle = context.Bundle;
        if (bundle.Kind == Mstg.Bundles.BundleKind.Framework && signature.Frameworks.Contains(bundle.Name, StringComparer.OrdinalIgnoreCase))
        {
            location = bundle.InfoPlistPath ?? bundle.Path;
            var plistVersion = (bundle.Info?["CFBundleShortVersionString"] as PlistString)?.Value;
            evidence.Add($"framework folder {bundle.Path}" + (plistVersion is null ? "" : $", CFBundleShortVersionString {plistVersion}"));
            if (plistVersion is not null) { version = plistVersion; versionSource = "framework Info.plist CFBundleShortVersionString"; }
        }

        foreach (var cls in signature.Classes.Where(c => view.ObjcClassNames.Contains(c) || view.DefinesClass(c)))
        {
            evidence.Add($"defines Objective-C class {cls}");
            location ??= view.FindString(cls) is { } s ? view.At(s.Section, s.Offset) : view.AtPart("symbols");
        }

        foreach (var module in signature.SwiftModules)
        {
            var prefix = $"$s{module.Length}{module}";
            var sample = view.DefinedSymbolNames.FirstOrDefault(n => n.StartsWith(prefix, StringComparison.Ordinal));
            if (sample is null) continue;
            evidence.Add($"defines Swift symbols of module {module} (e.g. {sample})");
            location ??= view.AtPart("symbols");
        }

        var symbols = signature.DefinedSymbols.Where(view.DefinedSymbolNames.Contains).ToList();
        if (symbols.Count > 0)
        {
            evidence.Add("defines " + string.Join(", ", symbols));
            location ??= view.AtPart("symbols");
        }

        // Plain loops: this runs for every string of every executable (hundreds of thousands in a large app).
        var markers = signature.MarkerStrings;
        var patterns = signature.VersionPatterns;
        if (markers.Count == 0 && patterns.Count == 0) return Result();
        // Strings are tested in a reused buffer; only the few that match become .NET strings for the evidence below.
        foreach (var s in view.Strings.WhereText(text => text.Length <= MaxBannerLength && MayMatch(text, markers, patterns)))
        {
            if (s.Value.Length > MaxBannerLength) continue;
            for (var i = 0; i < markers.Count; i++)
            {
                if (!s.Value.Contains(markers[i], StringComparison.Ordinal)) continue;
                evidence.Add($"string \"{s.Value}\" at {view.At(s.Section, s.Offset)}");
                location ??= view.At(s.Section, s.Offset);
            }
            foreach (var pattern in patterns)
            {
                var m = pattern.Match(s.Value);
                if (!m.Success) continue;
                var place = view.At(s.Section, s.Offset);
                evidence.Add($"version string \"{s.Value.Trim()}\" at {place}");
                if (versionSource is null || versionSource.StartsWith("framework", StringComparison.Ordinal))
                {
                    // A banner compiled into the code is more specific than a framework's marketing version.
                    version = m.Groups[1].Value;
                    versionSource = "version string";
                    location = place;
                }
            }
        }

        return Result();

        static bool MayMatch(ReadOnlySpan<char> text, List<string> markers, IReadOnlyList<System.Text.RegularExpressions.Regex> patterns)
        {
            foreach (var marker in markers)
                if (text.Contains(marker, StringComparison.Ordinal)) return true;
            foreach (var pattern in patterns)
                if (pattern.IsMatch(text)) return true;
            return false;
        }

        DetectedLibrary? Result() => evidence.Count == 0
            ? null
            : new DetectedLibrary(signature, version, versionSource, evidence.Distinct().ToList(), location ?? view.FileLocation);
    }
}
