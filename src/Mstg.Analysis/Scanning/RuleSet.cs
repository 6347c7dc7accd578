using Mstg.Analysis.Ats;
using Mstg.Analysis.Binary;
using Mstg.Analysis.BundleFiles;
using Mstg.Analysis.Channel;
using Mstg.Analysis.Libraries;
using Mstg.Analysis.Pinning;
using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Scanning;

/// <summary>Every built-in rule, in the order their findings are produced. A new rule family is added here.</summary>
public static class RuleSet
{
    public static IReadOnlyList<IBundleRule> BundleRules { get; } =
    [
        new AtsRules(),
        new PinningConfigRules(),
        new EncryptedBinaryRule(),
        new CleartextUrlRule(),
        new LowLevelNetworkingRule(),
        new TrustBypassRule(),
        new WeakTlsMinimumRule(),
        new EmbeddedTlsLibraryRule(),
        new LibraryRules(),
        new BundleFileRules(),
        new ChannelRules(),
    ];

    public static IReadOnlyList<IPackageRule> PackageRules { get; } = [new PinningEvidenceRule(), new PinnedDomainCoverageRule()];
}
