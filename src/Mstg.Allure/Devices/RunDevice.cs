using Mstg.Allure.Model;

namespace Mstg.Allure.Devices;

/// <summary>
/// The device a run tested (one <c>dotnet test</c> per device in a CI matrix), stamped on every result so that the
/// results of several devices can be merged into one report (<c>mstg report --results A --results B</c>).
/// </summary>
/// <remarks>
/// What each result gets:
/// <list type="bullet">
/// <item>a <c>device</c> label (Allure has no device label of its own; the label is what the merge and the
/// requirement × device table read);</item>
/// <item>a <c>device</c> parameter, which shows on the test page. When <see cref="InHistory"/>, the parameter is not
/// excluded, so it enters the historyId and the retry key: Allure 2.46 keys retries on testCaseId plus the
/// non-excluded parameters and ignores the historyId we write (checked on the pinned CLI), so a device only in the
/// historyId would still collapse into a retry of the other device's result. testCaseId (md5 of fullName) stays
/// the same on every device: it is the same test case;</item>
/// <item>when <see cref="InHistory"/>, the device as the first level of the Suites tab (parentSuite), the test's own
/// suite levels moved one down.</item>
/// </list>
/// A device that is only a description (a local reference target, "static") is a label and an excluded parameter:
/// the ids and the suite tree stay exactly as without a device, so the run's history continues.
/// </remarks>
public sealed record RunDevice(string Name, bool InHistory)
{
    /// <summary>The label and parameter name.</summary>
    public const string LabelName = "device";

    /// <summary>The parameter's name when a test has its own <c>device</c> argument already.</summary>
    public const string FallbackParameterName = "run device";

    /// <summary>Adds the device's label, parameter and (when it is part of the identity) suite level to a result.</summary>
    public void Apply(TestResult result)
    {
        result.Labels.Add(new Label(LabelName, Name));
        var parameterName = result.Parameters.Any(p => p.Name == LabelName) ? FallbackParameterName : LabelName;
        result.Parameters.Add(new Parameter(parameterName, Runtime.ParameterValues.Format(Name), Excluded: !InHistory));
        if (InHistory) ShiftSuites(result.Labels, Name);
    }

    /// <summary>
    /// Suites tab: device → parentSuite → suite (and subSuite, joined). Allure 2 shows three levels only, so the lowest
    /// two levels of a test that uses all three are joined with " / " rather than dropped.
    /// </summary>
    private static void ShiftSuites(List<Label> labels, string device)
    {
        string? Take(string name)
        {
            var label = labels.FirstOrDefault(l => l.Name == name);
            if (label is null) return null;
            labels.RemoveAll(l => l.Name == name);
            return label.Value;
        }
        var parent = Take(LabelNames.ParentSuite);
        var suite = Take(LabelNames.Suite);
        var sub = Take(LabelNames.SubSuite);
        labels.Add(new Label(LabelNames.ParentSuite, device));
        if (parent is not null) labels.Add(new Label(LabelNames.Suite, parent));
        var lowest = string.Join(" / ", new[] { suite, sub }.Where(s => !string.IsNullOrEmpty(s)));
        if (lowest.Length > 0) labels.Add(new Label(parent is null ? LabelNames.Suite : LabelNames.SubSuite, lowest));
    }
}
