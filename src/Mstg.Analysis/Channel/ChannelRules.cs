using Mstg.Analysis.Rules;


namespace Mstg.Analysis.Channel;

/// <summary>
/// CHANNEL-SMS-EMAIL (MSTG-NETWORK-5): evidence that the app sends SMS or e-mail (MessageUI composers, <c>sms:</c> and
/// <c>mailto:</c> URLs). It is not a verdict: a reviewer checks that critical operations (enrolment, recovery) do not rely
/// on these channels alone.
/// </summary>
public sealed class ChannelRules : IBundleRule
{
    internal static readonly IReadOnlyList<string> ComposerClasses = ["MFMessageComposeViewController", "MFMailComposeViewController"];
    internal static readonly IReadOnlyList<string> UrlSchemes = ["sms:", "smsto:", "mailto:"];

    public IEnumerable<Finding> Evaluate(BundleContext context)
    {
        var view = ExecutableView.For(context);
        if (view.Image is null)
        {
            if (view.Blocked) yield return view.Skipped(RuleCatalog.ChannelSmsEmail, "SMS and e-mail use in the executable");
            yield break;
        }

        var evidence = new List<string>();
        string? location = null;
        if (view.Image.Dylibs.FirstOrDefault(d => d.Name == "MessageUI") is { } messageUi)
        {
            evidence.Add($"links {messageUi.Path}");
            location = view.AtPart("LC_LOAD_DYLIB");
        }
        foreach (var cls in ComposerClasses.Where(c => view.ImportsClass(c)))
        {
            evidence.Add("uses class " + cls);
            location ??= view.AtPart("imports");
        }
        // Only strings starting with s or m (any case) can be sms:/smsto:/mailto: URLs; the rest are never decoded.
        foreach (var s in view.Strings.Where(static utf8 => utf8.Length > 0 && (utf8[0] | 0x20) is (byte)'s' or (byte)'m'))
        {
            var scheme = UrlSchemes.FirstOrDefault(u => s.Value.StartsWith(u, StringComparison.OrdinalIgnoreCase));
            if (scheme is null) continue;
            evidence.Add($"{scheme} URL \"{s.Value}\" at {view.At(s.Section, s.Offset)}");
            location ??= view.At(s.Section, s.Offset);
        }

        if (evidence.Count > 0)
            yield return RuleFindings.Create(context, RuleCatalog.ChannelSmsEmail, Verdict.Info,
                $"{view.ExecutableName} can send SMS or e-mail. For MSTG-NETWORK-5, confirm that critical operations (account recovery, " +
                "enrolment, transaction approval) do not depend on SMS or e-mail alone and that no secrets are sent through them.",
                location!, RuleFindings.JoinEvidence(evidence));
        if (view.Blocked) yield return view.Skipped(RuleCatalog.ChannelSmsEmail, "sms:/mailto: strings in the executable");
    }
}
