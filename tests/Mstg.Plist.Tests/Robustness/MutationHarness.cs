using Xunit.Sdk;

namespace Mstg.Plist.Tests.Robustness;

/// <summary>
/// Feeds mutated inputs to <see cref="PlistReader"/> and records anything but success or
/// <see cref="PlistFormatException"/>. Each read runs under a generous timeout only to catch a hang (an infinite
/// loop would otherwise stall the whole run); nothing here asserts speed.
/// </summary>
internal sealed class MutationHarness(string kind, Func<byte[], string, PlistDocument>? read = null)
{
    private readonly Func<byte[], string, PlistDocument> _read = read ?? ((bytes, source) => PlistReader.Read(bytes, source));
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);
    private readonly List<string> _failures = [];

    public int Run { get; private set; }
    public int Accepted { get; private set; }
    public int Rejected { get; private set; }

    public void Check(byte[] input, string description)
    {
        Run++;
        var source = $"{kind}-mutant-{Run}";
        var task = Task.Run(() =>
        {
            try
            {
                _read(input, source);
                return (Exception?)null;
            }
            catch (Exception e)
            {
                return e;
            }
        });
        if (!task.Wait(HangLimit))
        {
            _failures.Add($"{description}: no result after {HangLimit.TotalSeconds} s (hang)");
            return;
        }
        switch (task.Result)
        {
            case null:
                Accepted++;
                break;
            case PlistFormatException e:
                Rejected++;
                // Every rejection must still name the input and a place.
                if (!e.Message.StartsWith(source + ": ", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(e.Problem))
                    _failures.Add($"{description}: error without source/problem: {e.Message}");
                break;
            case var other:
                _failures.Add($"{description}: {other.GetType().Name}: {other.Message}\n{other.StackTrace}");
                break;
        }
    }

    public void AssertClean(int expectedRuns)
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"{kind}: {Run} mutants, {Accepted} accepted, {Rejected} rejected with PlistFormatException, {_failures.Count} failures");
        Run.Should().Be(expectedRuns);
        Rejected.Should().BeGreaterThan(0, "mutations must actually break some inputs");
        if (_failures.Count > 0)
            throw new XunitException($"{_failures.Count} of {Run} {kind} mutants failed:\n" + string.Join("\n", _failures.Take(10)));
    }
}
