using Mstg.Analysis.Binary;
using Mstg.Analysis.Libraries;
using Mstg.Plist;

namespace Mstg.Analysis.PinningEvidence;

/// <summary>One piece of pinning evidence: what it is and where it was seen.</summary>
public sealed record PinningClue(string What, string Bundle, string Location);

/// <summary>
/// Collects evidence that the app pins certificates or keys, bundle by bundle. Code that merely ships inside a
/// library's own framework (Alamofire's evaluators, AFNetworking's AFSecurityPolicy) is a capability, not a use, and is not
/// counted; references to it from the app's own code are. TrustKit counts wherever it is, since pinning is its only job.
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
        return view.PinningClues ??= CollectFrom(context, view);
    }

    private static IReadOnlyList<PinningClue> CollectFrom(BundleContext context, ExecutableView view)
    {
        var clues = new List<PinningClue>();
        var bundle = context.Bundle;
        void Add(string what, string location) => clues.Add(new PinningClue(what, bundle.Path, location));

        var plistName = bundle.InfoPlistPath ?? context.InfoPlistName;
        if (context.Info is { } info)
        {
            // Read through the pinning model: a configuration whose every pin is malformed can never match, so it is no
            // evidence of pinning (PIN-INVALID-HASH reports the pins themselves).
            var configured = Pinning.PinningConfiguration.Read(info).Domains.Where(d => d.ValidPins.Any()).ToList();
            var ats = configured.Where(d => d.Source == Pinning.PinSource.AtsPinnedDomains).Select(d => d.Domain).ToList();
            if (ats.Count > 0)
                Add($"NSPinnedDomains for {string.Join(", ", ats)}", $"{plistName}:NSAppTransportSecurity/NSPinnedDomains");
            if (configured.Any(d => d.Source == Pinning.PinSource.TrustKit))
                Add("TrustKit configuration (TSKConfiguration)", $"{plistName}:TSKConfiguration");
        }

        var libraryBundle = bundle.Kind == Mstg.Bundles.BundleKind.Framework && LibrarySignatures.IsLibraryFramework(bundle.Name);
        if (bundle.Kind == Mstg.Bundles.BundleKind.Framework && string.Equals(bundle.Name, "TrustKit", StringComparison.OrdinalIgnoreCase))
            Add("TrustKit framework", bundle.Path);

        if (view.Image is not null)
        {
            foreach (var cls in new[] { "TrustKit", "TSKPinningValidator" })
                if (view.ImportsClass(cls) || view.DefinesClass(cls) || view.ObjcClassNames.Contains(cls))
                    Add($"TrustKit class {cls}", view.AtPart("symbols"));
            if (view.FindString("initSharedInstanceWithConfiguration:") is { } init)
                Add("TrustKit initSharedInstanceWithConfiguration:", view.At(init.Section, init.Offset));

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
            Add($"bundled certificate {file.Name}", file.Path);
        return clues;
    }
}
