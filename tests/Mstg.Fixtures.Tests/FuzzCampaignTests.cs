using Mstg.Fixtures.Fuzzing;

namespace Mstg.Fixtures.Tests;

/// <summary>The fuzz campaign must be able to fail, must say how to replay, and must stop at its budget.</summary>
public sealed class FuzzCampaignTests
{
    private readonly List<string> _log = [];

    [Fact]
    public void A_mutant_that_escapes_the_family_fails_the_report_with_seed_index_and_replay_instruction()
    {
        var report = new FuzzCampaign("toy", mutants: 50, budget: TimeSpan.FromMinutes(1), _log.Add).Run((random, index) =>
            index == 7 ? throw new IndexOutOfRangeException("boom") : "ok");

        report.Failed.Should().Be(1);
        report.Outcomes["ok"].Should().Be(49);
        report.FailureMessage.Should().Contain($"MSTG_FUZZ_SEED={report.Seed}").And.Contain("mutant #7")
            .And.Contain("System.IndexOutOfRangeException: boom");
        _log.Should().Contain(l => l.Contains($"random seed {report.Seed}") && l.Contains("replay with MSTG_FUZZ_SEED="),
            "the seed is printed before the first mutant, so even a hang leaves it in the output");
    }

    [Fact]
    public void A_clean_run_has_no_failure_message() =>
        new FuzzCampaign("toy", mutants: 20, budget: TimeSpan.FromMinutes(1), _log.Add).Run((_, _) => "ok")
            .FailureMessage.Should().BeNull();

    [Fact]
    public void Each_mutant_depends_only_on_the_seed_and_its_index()
    {
        var first = Enumerable.Range(0, 5).Select(i => FuzzCampaign.MutantRandom(42, i).Next()).ToList();
        var again = Enumerable.Range(0, 5).Reverse().Select(i => FuzzCampaign.MutantRandom(42, i).Next()).Reverse().ToList();
        again.Should().Equal(first);
        first.Distinct().Should().HaveCount(5);
        FuzzCampaign.MutantRandom(43, 0).Next().Should().NotBe(first[0]);
    }

    [Fact]
    public void The_run_stops_at_the_time_budget_instead_of_the_mutant_count()
    {
        var clock = new SteppingClock(TimeSpan.FromSeconds(1)); // every reading of the clock advances it one second
        var report = new FuzzCampaign("toy", mutants: 1_000, budget: TimeSpan.FromSeconds(10), _log.Add, clock).Run((_, _) => "ok");
        report.StoppedByBudget.Should().BeTrue();
        report.Tried.Should().BeInRange(1, 10);
        report.Summary.Should().Contain("stopped at the time budget");
    }

    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks += step.Ticks;
    }
}
