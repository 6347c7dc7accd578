using Mstg.Allure.Model;
using Mstg.Allure.Writing;

namespace Mstg.Allure.Runtime;

/// <summary>
/// What the static <see cref="AllureApi"/> needs from the test framework integration: where to write files and
/// which test (or fixture container) the calling code belongs to. Mstg.Allure stays free of any test framework;
/// Mstg.Allure.Xunit installs its implementation in <see cref="AllureLifecycle.Host"/>.
/// </summary>
public interface IAllureRuntimeHost
{
    AllureResultsWriter Writer { get; }

    /// <summary>The result of the test whose code is running on this async flow, or null outside a test.</summary>
    TestResult? CurrentTest();

    /// <summary>
    /// Registers a new set-up or tear-down in the container that matches where the caller runs (a class, collection
    /// or assembly fixture, or the test's own constructor/Dispose), or returns null when there is no such place.
    /// </summary>
    FixtureResult? StartFixture(string name, FixtureKind kind);
}

/// <summary>Whether a fixture is a set-up (before the tests) or a tear-down; Auto decides from when it is called.</summary>
public enum FixtureKind
{
    Auto,
    SetUp,
    TearDown,
}
