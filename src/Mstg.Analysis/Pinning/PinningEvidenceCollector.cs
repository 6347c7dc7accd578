using Mstg.Analysis.Libraries;
using Mstg.Analysis.Rules;
using Mstg.Plist;

namespace Mstg.Analysis.Pinning;

/// <summary>How much a piece of pinning evidence proves.</summary>
public enum PinningClueKind
{
    /// <summary>Pins iOS or TrustKit will enforce: an NSPinnedDomains entry, or an enforced, unexpired TrustKit entry, with a well-formed pin.</summary>
    ConfiguredPins,
    /// <summary>TrustKit in the code (its framework, classes or initialiser); what it enforces depends on a configuration.</summary>
    TrustKitCode,
    /// <summary>Other code that can pin (pinning evaluators, SecTrust certificate or key extraction, custom anchors).</summary>
    Code,
    /// <summary>A certificate file shipped in the bundle.</summary>
    BundledCertificate,
}

/// <summary>One piece of pinning evidence: what it is, where it was seen and how much it proves.</summary>
public sealed record PinningClue(string What, string Bundle, string Location, PinningClueKind Kind = PinningClueKind.Code)
{
    /// <summary>Only configured, enforced, unexpired pins prove pinning statically; the rest is a clue to confirm dynamically.</summary>
    public bool Confirmed => Kind == PinningClueKind.ConfiguredPins;
}

/// <summary>
/// Collects evidence that the app pins certificates or keys, bundle by bundle. Code that merely ships inside a
/// library's own framework (Alamofire's evaluators, AFNetworking's AFSecurityPolicy) is a capability, not a use, and is not
/// counted; references to it from the app's own code are. TrustKit code counts wherever it is, since pinning is its only job.
/// Only Info.plist pins that will be enforced are <see cref="PinningClueKind.ConfiguredPins"/>: TrustKit in report-only mode
/// (<c>TSKEnforcePinning</c> NO) or past its <c>TSKExpirationDate</c> pins nothing and is no evidence at all.
/// </summary>
public static class PinningEvidenceCollector
{
    /// <summary>What is looked for, in the words the PIN-NONE message uses.</summary>
    public static readonly IReadOnlyList<string> LookedFor =
    [
        "Info.plist NSAppTransportSecurity/NSPinnedDomains",
        "Info.plist TSKConfiguration (TrustKit)",
        "TrustKit framework or classes (TrustKit, TSKPinningValidator, initSharedInstanceWithConfiguration:)",
        "Alamofire PinnedCertificatesTrustEvaluator/PublicKeysTrustEvaluator/ServerTrustManager (or Alamofire 4 ServerTrustPolicyManager) used by the app",
        "AFSecurityPolicy used with pinning selectors (policyWithPinningMode:, setPinnedCertificates:, setSSLPinningMode:)",
        "SecTrust certificate/key extraction for comparison (SecTrustGetCertificateAtIndex/SecTrustCopyCertificateChain + SecCertificateCopyData, SecTrustCopyKey/SecTrustCopyPublicKey + SecKeyCopyExternalRepresentation), SecTrustSetAnchorCertificates",
        "SocketRocket SR_SSLPinnedCertificates",
        "bundled .cer/.der/.crt/.pem certificates",
    ];

    private static readonly string[] AlamofirePinning =
        ["PinnedCertificatesTrustEvaluator", "PublicKeysTrustEvaluator", "ServerTrustManager", "ServerTrustPolicyManager"];

    private static readonly string[] AfPinningSelectors =
        ["policyWithPinningMode:", "policyWithPinningMode:withPinnedCertificates:", "setPinnedCertificates:", "setSSLPinningMode:"];

    private static readonly string[] CertificateExtensions = [".cer", ".der", ".crt", ".pem"];

    public static IReadOnlyList<PinningClue> Collect(BundleContext context)
    {
        var view = ExecutableView.For(context);
        return view.Derived<IReadOnlyList<PinningClue>>(() => CollectFrom(context, view));
    }

    private static IReadOnlyList<PinningClue> CollectFrom(BundleContext context, ExecutableView view)
    {
        var clues = new List<PinningClue>();
        var bundle = context.Bundle;
        void Add(string what, string location, PinningClueKind kind = PinningClueKind.Code) => clues.Add(new PinningClue(what, bundle.Path, location, kind));

        var plistName = bundle.InfoPlistPath ?? context.InfoPlistName;
        if (context.Info is { } info)
        {
            // Read through the pinning model: an entry whose every pin is malformed can never match, and a report-only or
            // expired TrustKit entry lets every connection through, so neither is evidence of pinning (PIN-INVALID-HASH,
            // PIN-TRUSTKIT-NOT-ENFORCED and PIN-TRUSTKIT-EXPIRED report them). Same test as PinningConfiguration.IsPinned.
            var now = context.Options.Now;
            var configured = Pinning.PinningConfiguration.Read(info).Domains.Where(d => d.Enforced && !d.IsExpired(now) && d.ValidPins.Any()).ToList();
            var ats = configured.Where(d => d.Source == Pinning.PinSource.AtsPinnedDomains).Select(d => d.Domain).ToList();
            if (ats.Count > 0)
                Add($"NSPinnedDomains for {string.Join(", ", ats)}", $"{plistName}:NSAppTransportSecurity/NSPinnedDomains", PinningClueKind.ConfiguredPins);
            var trustKit = configured.Where(d => d.Source == Pinning.PinSource.TrustKit).Select(d => d.Domain).ToList();
            if (trustKit.Count > 0)
                Add($"TrustKit configuration (TSKConfiguration) enforcing pins for {string.Join(", ", trustKit)}", $"{plistName}:TSKConfiguration", PinningClueKind.ConfiguredPins);
        }

        var libraryBundle = bundle.Kind == Mstg.Bundles.BundleKind.Framework && LibrarySignatures.IsLibraryFramework(bundle.Name);
        if (bundle.Kind == Mstg.Bundles.BundleKind.Framework && string.Equals(bundle.Name, "TrustKit", StringComparison.OrdinalIgnoreCase))
            Add("TrustKit framework", bundle.Path, PinningClueKind.TrustKitCode);

        if (view.Image is not null)
        {
            foreach (var cls in new[] { "TrustKit", "TSKPinningValidator" })
                if (view.ImportsClass(cls) || view.DefinesClass(cls) || view.ObjcClassNames.Contains(cls))
                    Add($"TrustKit class {cls}", view.AtPart("symbols"), PinningClueKind.TrustKitCode);
            if (view.FindString("initSharedInstanceWithConfiguration:") is { } init)
                Add("TrustKit initSharedInstanceWithConfiguration:", view.At(init.Section, init.Offset), PinningClueKind.TrustKitCode);

            if (!libraryBundle)
            {
                foreach (var name in AlamofirePinning)
                    if (view.ImportNames.FirstOrDefault(i => i.Contains(name, StringComparison.Ordinal)) is { } import)
                        Add($"Alamofire {name} used ({import})", view.AtPart("imports"));

                var afDefinedHere = view.DefinesClass("AFSecurityPolicy") || view.ObjcClassNames.Contains("AFSecurityPolicy");
                if (!afDefinedHere && view.ImportsClass("AFSecurityPolicy"))
                    foreach (var selector in AfPinningSelectors)
                        if (view.FindString(selector) is { } s) Add($"AFSecurityPolicy {selector}", view.At(s.Section, s.Offset));

                var imports = view.ImportNames;
                var getsCertificate = imports.Contains("SecTrustGetCertificateAtIndex") || imports.Contains("SecTrustCopyCertificateChain");
                if (getsCertificate && imports.Contains("SecCertificateCopyData"))
                    Add("server certificate extracted for comparison (SecTrustGetCertificateAtIndex/CopyCertificateChain + SecCertificateCopyData)", view.AtPart("imports"));
                var getsKey = imports.Contains("SecTrustCopyKey") || imports.Contains("SecTrustCopyPublicKey");
                if (getsKey && imports.Contains("SecKeyCopyExternalRepresentation"))
                    Add("server public key extracted for comparison (SecTrustCopyKey/CopyPublicKey + SecKeyCopyExternalRepresentation)", view.AtPart("imports"));
                if (imports.Contains("SecTrustSetAnchorCertificates"))
                    Add("custom trust anchors (SecTrustSetAnchorCertificates)", view.AtPart("imports"));
                if (view.FindString("SR_SSLPinnedCertificates") is not null || view.FindString("setSR_SSLPinnedCertificates:") is not null)
                    Add("SocketRocket SR_SSLPinnedCertificates", view.AtPart("strings"));
            }
        }

        foreach (var file in bundle.Files.Where(f => CertificateExtensions.Contains(f.Extension)))
            Add($"bundled certificate {file.Name}", file.Path, PinningClueKind.BundledCertificate);
        return clues;
    }

    /// <summary>
    /// The clues that still say something once the Info.plist has been read: TrustKit code is explained by a TrustKit
    /// configuration in the plist when there is one (<paramref name="trustKitConfigured"/>), and that configuration
    /// decides (enforced pins are <see cref="PinningClueKind.ConfiguredPins"/>; report-only or expired pins are none).
    /// Without a plist configuration TrustKit may be configured in code, which only a dynamic test can confirm.
    /// </summary>
    public static IEnumerable<PinningClue> Unconfirmed(IEnumerable<PinningClue> clues, bool trustKitConfigured) =>
        clues.Where(c => !c.Confirmed && !(trustKitConfigured && c.Kind == PinningClueKind.TrustKitCode));
}
