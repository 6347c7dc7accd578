using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Binary;

/// <summary>
/// BIN-ENCRYPTED: the main executable carries <c>LC_ENCRYPTION_INFO(_64)</c> with a non-zero cryptid (an App Store
/// build that was not decrypted). The other binary rules report their own Skipped findings for that bundle.
/// </summary>
public sealed class EncryptedBinaryRule : IBundleRule
{
    public IEnumerable<Finding> Evaluate(BundleContext context)
    {
        var image = context.Executable?.Primary;
        if (image?.Encryption is not { IsEncrypted: true } encryption) yield break;
        var view = ExecutableView.For(context);
        yield return RuleFindings.Create(context, RuleCatalog.BinEncrypted, Verdict.Warn,
            $"The executable of {context.Bundle.Name} is FairPlay-encrypted, so its strings and code cannot be analysed: " +
            "rules that need them are reported as Skipped, not passed. Scan a decrypted or development/ad-hoc build of the app.",
            view.AtPart(image.LoadCommands.FirstOrDefault(c => c.StartsWith("LC_ENCRYPTION_INFO", StringComparison.Ordinal)) ?? "LC_ENCRYPTION_INFO"),
            $"cryptid={encryption.CryptId} cryptoff=0x{encryption.CryptOffset:x} cryptsize=0x{encryption.CryptSize:x}");
    }
}
