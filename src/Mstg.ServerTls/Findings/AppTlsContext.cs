using Mstg.Analysis.Ats;
using Mstg.Analysis.Pinning;
using Mstg.Bundles;
using Mstg.Plist;

namespace Mstg.ServerTls;

/// <summary>What an app's Info.plist says about TLS to its hosts: its ATS policy and its pins.</summary>
public sealed record AppTlsContext(string Source, AtsPolicy Ats, PinningConfiguration Pins)
{
    public static AppTlsContext FromInfo(string source, PlistDict info) => new(source, AtsPolicy.Evaluate(info), PinningConfiguration.Read(info));

    /// <summary>Reads the main bundle's Info.plist of an .ipa, .app folder or a lone Info.plist.</summary>
    public static AppTlsContext Load(string path)
    {
        using var package = AppPackageReader.Open(path);
        var info = package.Main.Info ?? throw new BundleFormatException(path, "Info.plist", "the main bundle has no readable Info.plist");
        return FromInfo(path, info);
    }

    /// <summary>The hosts the plist names (exception and pinned domains), on port 443: what to probe when no host is given.</summary>
    public IReadOnlyList<string> DeclaredHosts =>
        Ats.Exceptions.Where(e => e.NoMatchReason is null).Select(e => e.Domain)
            .Concat(Pins.Domains.Select(d => d.Domain))
            .Select(d => d.Trim().TrimStart('*', '.').ToLowerInvariant()).Where(d => d.Length > 0)
            .Distinct(StringComparer.Ordinal).ToList();
}
