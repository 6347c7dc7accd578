namespace Mstg.Analysis.Rules;

/// <summary>A group of checks run once per bundle.</summary>
public interface IBundleRule
{
    IEnumerable<Finding> Evaluate(BundleContext context);
}

/// <summary>A group of checks that needs the whole app at once (for example "no pinning anywhere").</summary>
public interface IPackageRule
{
    IEnumerable<Finding> Evaluate(IReadOnlyList<BundleContext> bundles);
}

/// <summary>
/// A package rule split in two: <see cref="Collect"/> runs per bundle while its executable is loaded, and
/// <see cref="Evaluate(IReadOnlyList{BundleContext}, IReadOnlyList{object})"/> decides from what was collected.
/// When every package rule works this way the scanner releases each executable's strings right after its bundle
/// is checked, so a scan's memory does not grow with the number of binaries in the app.
/// </summary>
public interface ICollectingPackageRule : IPackageRule
{
    /// <summary>The facts this rule needs from one bundle; must not keep the executable's strings alive.</summary>
    object Collect(BundleContext context);

    /// <summary>The verdict over all bundles; <paramref name="collected"/>[i] is what <see cref="Collect"/> returned for <paramref name="bundles"/>[i].</summary>
    IEnumerable<Finding> Evaluate(IReadOnlyList<BundleContext> bundles, IReadOnlyList<object> collected);
}
