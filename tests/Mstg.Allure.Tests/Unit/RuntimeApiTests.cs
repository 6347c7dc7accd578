using Mstg.Allure.Model;
using Mstg.Allure.Runtime;
using Mstg.Allure.Writing;
using TestResult = Mstg.Allure.Model.TestResult;

namespace Mstg.Allure.Tests.Unit;

/// <summary>
/// The runtime API against a minimal host (one test, one container). AllureLifecycle.Host is process-wide, so
/// every test touching it lives in this one class, which xUnit runs sequentially.
/// </summary>
public sealed class RuntimeApiTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mstg-allure-rt-" + Guid.NewGuid().ToString("N"));
    private readonly SingleTestHost _host;

    public RuntimeApiTests()
    {
        _host = new SingleTestHost(new AllureResultsWriter(_dir));
        AllureLifecycle.Host = _host;
    }

    public void Dispose()
    {
        AllureLifecycle.Host = null;
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Steps_nest_across_awaits_and_parallel_branches_stay_apart()
    {
        using (AllureApi.Step("outer"))
        {
            await Task.Yield();
            await Task.WhenAll(
                AllureApi.StepAsync("branch a", async () => { await Task.Delay(1); AllureApi.Step("a.1", () => { }); }),
                AllureApi.StepAsync("branch b", async () => { await Task.Delay(1); AllureApi.Step("b.1", () => { }); }));
        }
        AllureApi.Step("after", () => { });

        var steps = _host.Test.Steps;
        steps.Select(s => s.Name).Should().Equal("outer", "after");
        steps[0].Steps.Select(s => s.Name).Should().BeEquivalentTo("branch a", "branch b");
        steps[0].Steps.Single(s => s.Name == "branch a").Steps.Select(s => s.Name).Should().Equal("a.1");
        steps[0].Steps.Single(s => s.Name == "branch b").Steps.Select(s => s.Name).Should().Equal("b.1");
        steps.Should().OnlyContain(s => s.Status == Status.Passed && s.Stage == Stage.Finished);
    }

    [Fact]
    public void Lambda_steps_take_their_status_from_the_exception_and_rethrow()
    {
        var assertion = () => AllureApi.Step("assert", () => Assert.Equal(1, 2));
        var other = () => AllureApi.Step("other", () => throw new IOException("disk"));
        var skip = () => AllureApi.Step("skip", () => Assert.Skip("no device"));
        assertion.Should().Throw<Exception>();
        other.Should().Throw<IOException>();
        skip.Should().Throw<Exception>();

        _host.Test.Steps.Select(s => (s.Name, s.Status)).Should().Equal(
            ("assert", Status.Failed), ("other", Status.Broken), ("skip", Status.Skipped));
        _host.Test.Steps[1].StatusDetails!.Message.Should().Be("disk");
    }

    [Fact]
    public void Metadata_calls_change_the_current_test()
    {
        AllureApi.Label("Epic", "MASVS-NETWORK-1");
        AllureApi.Link("docs", "https://example.com", LinkType.Tms);
        AllureApi.Parameter("seed", 42, excluded: true);
        AllureApi.Parameter("seed", 43, excluded: true);
        _host.Test.Labels.Should().Contain(new Label("epic", "MASVS-NETWORK-1"));
        _host.Test.Links.Should().Contain(new Link("docs", "https://example.com", LinkType.Tms));
        _host.Test.Parameters.Should().Equal(new Parameter("seed", "43", Excluded: true));
    }

    [Fact]
    public void Fixture_collects_its_own_steps_and_attachments()
    {
        Action failing = () => AllureApi.Fixture("boot", () =>
        {
            AllureApi.AttachText("log", "booting");
            AllureApi.Step("inner", () => { });
            throw new InvalidOperationException("no simulator");
        });
        failing.Should().Throw<InvalidOperationException>();
        var fixture = _host.Fixtures.Should().ContainSingle().Subject;
        fixture.Status.Should().Be(Status.Broken);
        fixture.Steps.Select(s => s.Name).Should().Equal("inner");
        fixture.Attachments.Select(a => a.Name).Should().Equal("log");
        _host.Test.Steps.Should().BeEmpty("fixture steps must not leak into the test");
    }

    [Fact]
    public void Without_a_host_every_call_is_a_no_op()
    {
        AllureLifecycle.Host = null;
        using (AllureApi.Step("x")) AllureApi.AttachText("a", "b").Should().BeNull();
        AllureApi.Label("a", "b");
        Directory.Exists(_dir).Should().BeFalse();
    }

    private sealed class SingleTestHost(AllureResultsWriter writer) : IAllureRuntimeHost
    {
        public TestResult Test { get; } = new() { Uuid = "t" };
        public List<FixtureResult> Fixtures { get; } = [];
        public AllureResultsWriter Writer { get; } = writer;
        public TestResult? CurrentTest() => Test;

        public FixtureResult? StartFixture(string name, FixtureKind kind)
        {
            var fixture = new FixtureResult { Name = name };
            Fixtures.Add(fixture);
            return fixture;
        }
    }
}
