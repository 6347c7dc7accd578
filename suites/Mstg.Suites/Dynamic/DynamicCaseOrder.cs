using Mstg.Suites.Run;
using Xunit.Sdk;
using Xunit.v3;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// Runs a requirement's dynamic cases target by target, in the order <c>MSTG_DYNAMIC_TARGET</c> lists them (xUnit's own
/// stable order within a target). xUnit orders the cases of each test method, so the first requirement's cases meet each
/// target once, in turn: that is when <see cref="DynamicRun"/> runs the target's app under every condition and stops it.
/// With one target the order is xUnit's.
/// </summary>
public sealed class DynamicCaseOrder : ITestCaseOrderer
{
    public IReadOnlyCollection<TTestCase> OrderTestCases<TTestCase>(IReadOnlyCollection<TTestCase> testCases) where TTestCase : notnull, ITestCase
    {
        var targets = DynamicSettings.TargetNames;
        var ordered = DefaultTestCaseOrderer.Instance.OrderTestCases(testCases);
        if (targets.Count < 2) return ordered;
        int Index(TTestCase c)
        {
            var target = c.Traits.TryGetValue(RunTable.TargetTrait, out var values) ? values.FirstOrDefault() : null;
            var i = target is null ? -1 : targets.ToList().IndexOf(target);
            return i < 0 ? int.MaxValue : i;
        }
        return ordered.OrderBy(Index).ToList();
    }
}
