using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Binary;

/// <summary>
/// BIN-WEAK-TLS-MINIMUM (MASTG-TEST-0343/0344): code that lowers the minimum TLS version to 1.0 or 1.1.
/// The setter is recognised by its selector (<c>setTLSMinimumSupportedProtocolVersion:</c>, deprecated
/// <c>setTLSMinimumSupportedProtocol:</c>) or by importing <c>sec_protocol_options_set_min/max_tls_protocol_version</c>.
/// The value is recovered the way DEMO-0110/0111 do: an ARM64 <c>MOVZ</c> of 0x0301/0x0302 into the argument register
/// (w2 for <c>objc_msgSend(config, sel, version)</c>, w1 for <c>sec_protocol_options_set_…(options, version)</c>) followed by a
/// call. Setter present and such a load found → Fail; setter present with only TLS 1.2/1.3 constants (0x0303/0x0304)
/// loaded the same way → Pass, naming them; setter present with neither → Warn (value not determined).
/// </summary>
public sealed class WeakTlsMinimumRule : IBundleRule
{
    internal static readonly IReadOnlyList<string> UrlSessionSelectors =
        ["setTLSMinimumSupportedProtocolVersion:", "setTLSMinimumSupportedProtocol:"];

    internal static readonly IReadOnlyList<string> SecProtocolImports =
        ["sec_protocol_options_set_min_tls_protocol_version", "sec_protocol_options_set_max_tls_protocol_version"];

    /// <summary>tls_protocol_version_TLSv10 and TLSv11 (same numbers as the TLS wire versions).</summary>
    internal static readonly IReadOnlySet<ushort> WeakVersions = new HashSet<ushort> { 0x0301, 0x0302 };

    /// <summary>tls_protocol_version_TLSv12 and TLSv13: a setter fed only these keeps the TLS floor ATS wants.</summary>
    internal static readonly IReadOnlySet<ushort> StrongVersions = new HashSet<ushort> { 0x0303, 0x0304 };

    private static readonly IReadOnlySet<ushort> AllVersions = WeakVersions.Concat(StrongVersions).ToHashSet();

    private static string VersionName(ushort value) => value switch
    {
        0x0301 => "TLS 1.0", 0x0302 => "TLS 1.1", 0x0303 => "TLS 1.2", 0x0304 => "TLS 1.3", _ => $"0x{value:x4}",
    };

    public IEnumerable<Finding> Evaluate(BundleContext context)
    {
        var view = ExecutableView.For(context);
        if (view.Image is null)
        {
            if (view.Blocked) yield return view.Skipped(RuleCatalog.BinWeakTlsMinimum, "TLS version settings in the executable");
            yield break;
        }

        var setters = new List<string>();
        var registers = new HashSet<int>();
        string? setterLocation = null;
        foreach (var selector in UrlSessionSelectors)
            if (view.FindString(selector) is { } s)
            {
                setterLocation ??= view.At(s.Section, s.Offset);
                setters.Add($"selector {selector} at {view.At(s.Section, s.Offset)}");
                registers.Add(2);
            }
        foreach (var import in SecProtocolImports.Where(view.ImportNames.Contains)) { setters.Add("import " + import); registers.Add(1); }

        if (setters.Count == 0)
        {
            if (view.Blocked) yield return view.Skipped(RuleCatalog.BinWeakTlsMinimum, "TLS version setter selectors in the executable's strings");
            else yield return RuleFindings.Create(context, RuleCatalog.BinWeakTlsMinimum, Verdict.Pass,
                $"{view.ExecutableName} neither sets URLSessionConfiguration's TLS minimum nor calls sec_protocol_options_set_min/max_tls_protocol_version.",
                view.FileLocation);
            yield break;
        }

        IReadOnlyList<Arm64ImmediateScanner.Hit> loads = [];
        string? scanProblem = view.UnreadableReason;
        var text = view.Image.Sections.FirstOrDefault(s => s.Segment == "__TEXT" && s.Name == "__text");
        if (scanProblem is null && text is null) scanProblem = "the executable has no __TEXT,__text section";
        if (scanProblem is null && !view.Image.Architecture.StartsWith("arm64", StringComparison.Ordinal))
            scanProblem = $"the {view.Image.Architecture} slice is not ARM64 code";
        if (scanProblem is null)
        {
            try
            {
                using var code = SectionStream.Open(context, view.Image, text!);
                loads = Arm64ImmediateScanner.Scan(code, (long)text!.Size, registers, AllVersions);
            }
            catch (Exception e) when (e is MstgInputException or IOException)
            {
                scanProblem = "the code could not be read: " + e.Message;
            }
        }

        var hits = loads.Where(h => WeakVersions.Contains(h.Value)).ToList();
        var strong = loads.Where(h => StrongVersions.Contains(h.Value)).ToList();
        IEnumerable<string> Places(IEnumerable<Arm64ImmediateScanner.Hit> found) => found.Select(h => $"mov w{h.Register}, #0x{h.Value:x} ({VersionName(h.Value)}) " +
            $"bytes {Convert.ToHexString(BitConverter.GetBytes(h.Instruction)).ToLowerInvariant()} at {view.At(text!.FullName, h.Offset)}");
        if (hits.Count > 0)
        {
            var places = Places(hits);
            yield return RuleFindings.Create(context, RuleCatalog.BinWeakTlsMinimum, Verdict.Fail,
                $"{view.ExecutableName} sets a TLS version of 1.0/1.1 as a protocol limit in code " +
                $"({string.Join(", ", hits.Select(h => VersionName(h.Value)).Distinct())}). Deprecated TLS versions " +
                "become negotiable (with Network.framework there is no ATS safety net). Set the minimum to TLS 1.2 (tls_protocol_version_TLSv12) or leave the default.",
                view.At(text!.FullName, hits[0].Offset), RuleFindings.JoinEvidence(setters.Concat(places)));
        }
        else if (strong.Count > 0)
        {
            // The same evidence that fails a weak value clears a strong one: without it a correct app would get a
            // warning it cannot fix.
            yield return RuleFindings.Create(context, RuleCatalog.BinWeakTlsMinimum, Verdict.Pass,
                $"{view.ExecutableName} sets its TLS protocol limit in code to {string.Join(", ", strong.Select(h => VersionName(h.Value)).Distinct())}; " +
                "no TLS 1.0/1.1 constant is passed to the setter.",
                view.At(text!.FullName, strong[0].Offset), RuleFindings.JoinEvidence(setters.Concat(Places(strong))));
        }
        else
        {
            yield return RuleFindings.Create(context, RuleCatalog.BinWeakTlsMinimum, Verdict.Warn,
                $"{view.ExecutableName} sets a TLS minimum/maximum version in code; the value was not determined" +
                (scanProblem is null ? " (no TLS version constant 0x0301–0x0304 is loaded into the argument register before a call)" : $" because {scanProblem}") +
                ". Review the call and make sure it is TLS 1.2 or higher.",
                setterLocation ?? view.AtPart("imports"), RuleFindings.JoinEvidence(setters));
        }
        if (view.Blocked) yield return view.Skipped(RuleCatalog.BinWeakTlsMinimum, "The TLS minimum value and setter selectors in the executable's code");
    }
}
