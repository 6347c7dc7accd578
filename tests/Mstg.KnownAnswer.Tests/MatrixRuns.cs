using System.Collections.Concurrent;

namespace Mstg.KnownAnswer.Tests;

/// <summary>
/// The matrix's suite processes, a few at a time instead of one after another. xUnit runs the rows of one theory in
/// sequence, and a suite process spends most of its time waiting (an app or a browser starting, settle periods, a
/// refusing app's scenario timing out), so the first row starts every profile's run and each row awaits its own.
/// A run is started once per profile; its Duration counts from its own process start, not from the queue.
/// </summary>
internal static class MatrixRuns
{
    /// <summary>Suite processes at once. Three keep a two-core machine busy; more made handshakes time out under load.</summary>
    public const int Parallel = 3;

    private static readonly SemaphoreSlim Slots = new(Parallel);
    private static readonly ConcurrentDictionary<string, Lazy<Task<DynamicSuiteRun>>> Runs = new(StringComparer.Ordinal);

    /// <summary>Queues every profile's run (in the given order, the longest first pays off) unless already queued.</summary>
    public static void StartAll(IEnumerable<(string Profile, IReadOnlyDictionary<string, string?> Settings)> profiles)
    {
        foreach (var (profile, settings) in profiles)
            _ = Runs.GetOrAdd(profile, _ => new Lazy<Task<DynamicSuiteRun>>(() => RunAsync(settings))).Value;
    }

    public static Task<DynamicSuiteRun> Of(string profile) =>
        Runs.TryGetValue(profile, out var run) ? run.Value : throw new InvalidOperationException($"no run queued for profile {profile}");

    private static async Task<DynamicSuiteRun> RunAsync(IReadOnlyDictionary<string, string?> settings)
    {
        // Not the calling test's token: the run outlives the row that queued it. The process has its own timeout.
        await Slots.WaitAsync().ConfigureAwait(false);
        try { return await DynamicSuiteRun.RunAsync(settings, CancellationToken.None).ConfigureAwait(false); }
        finally { Slots.Release(); }
    }
}
