using Mstg.Allure.Xunit.Attributes;

namespace Mstg.Suites.Static;

/// <summary>
/// The static suite: one theory whose rows are the static checks of <see cref="RequirementTable"/> (one per rule family per
/// requirement) times the configured apps. Each row carries the traits the six hand-written classes used to carry —
/// <c>Requirement</c>, <c>Kind</c>, <c>Level</c> for <c>dotnet test --filter</c>, the Allure epic, feature, story, severity,
/// tags, links and suite — all read from the table, plus <c>Family</c>. A row's display name is the check's title and the
/// app (its bundle id, never its path), and its Allure history follows (requirement, family, app).
/// </summary>
public sealed class StaticRequirements(StaticScans scans)
{
    /// <summary>The Allure parent suite of every static row.</summary>
    public const string ParentSuite = "Static analysis";

    /// <summary>The trait naming a row's rule family (<c>--filter Family=Pinning</c>).</summary>
    public const string FamilyTrait = "Family";

    public static TheoryData<string, string, string> Rows => Build(SuiteApps.Apps);

    /// <summary>Requirement × static check × app, in table order.</summary>
    public static TheoryData<string, string, string> Build(IReadOnlyList<string> apps)
    {
        var rows = new TheoryData<string, string, string>();
        foreach (var requirement in RequirementTable.Requirements)
            foreach (var check in requirement.Checks.Where(c => c.Kind == CheckKind.Static))
                foreach (var app in apps)
                {
                    var row = new TheoryDataRow<string, string, string>(requirement.MstgId, check.Family.ToString(), app)
                        // The old per-class display name: the check's title and the app; Label "" keeps xUnit from adding the argument list.
                        .WithTestDisplayName($"{check.Title}(app: \"{app}\")");
                    row.Label = "";
                    row.WithTrait("parentSuite", ParentSuite).WithTrait("suite", requirement.Suite).WithTrait(FamilyTrait, check.Family.ToString());
                    foreach (var (name, value) in MstgRequirementAttribute.TraitsFor(requirement, check)) row.WithTrait(name, value);
                    foreach (var (name, value) in Run.AppIdentityTraits.For(SuiteApps.All.FirstOrDefault(a => a.Key == app))) row.WithTrait(name, value);
                    rows.Add(row);
                }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Requirement_is_met(string requirement, string family, string app)
    {
        var check = RequirementTable.Get(requirement).Checks.Single(c => c.Kind == CheckKind.Static && c.Family.ToString() == family);
        if (check.Manual) Network5Review.Assert(scans, app);
        else RequirementCheck.Assert(scans, app, requirement, check.Family);
    }
}
