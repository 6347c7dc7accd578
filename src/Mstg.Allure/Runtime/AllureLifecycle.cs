using Mstg.Allure.Model;

namespace Mstg.Allure.Runtime;

/// <summary>
/// Process-wide runtime state: the installed host and the per-async-flow stack of open steps and fixtures.
/// The stack lives in an <see cref="AsyncLocal{T}"/>, so parallel tests and concurrent async branches of one test
/// each see their own innermost step, and a step opened before an <c>await</c> is still current after it.
/// </summary>
public static class AllureLifecycle
{
    private static readonly AsyncLocal<Frame?> Current = new();

    /// <summary>Set once by the framework integration; null means Allure is not active and the API does nothing.</summary>
    public static IAllureRuntimeHost? Host { get; set; }

    internal static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The item new steps and attachments go into: the innermost open step of this flow, or the test.</summary>
    internal static (ExecutableItem Item, ExecutableItem Root)? CurrentTarget()
    {
        var host = Host;
        if (host is null) return null;
        var test = host.CurrentTest();
        var frame = Current.Value;
        while (frame is not null && frame.Closed) frame = frame.Parent;
        // A frame counts only while it belongs to the running test, or to a fixture (which has no test).
        // This stops a stale frame that leaked through a captured ExecutionContext from catching another test's steps.
        if (frame is not null && (frame.Root is FixtureResult || ReferenceEquals(frame.Root, test))) return (frame.Item, frame.Root);
        return test is null ? null : (test, test);
    }

    internal static Frame Push(ExecutableItem item, ExecutableItem root)
    {
        var frame = new Frame(item, root, Current.Value);
        Current.Value = frame;
        return frame;
    }

    internal static void Pop(Frame frame)
    {
        frame.Closed = true;
        // Restore the parent only if this flow still points at the frame being closed (normal using-nesting);
        // out-of-order disposal must not resurrect a closed frame.
        if (ReferenceEquals(Current.Value, frame)) Current.Value = frame.Parent;
    }

    internal sealed class Frame(ExecutableItem item, ExecutableItem root, Frame? parent)
    {
        public ExecutableItem Item { get; } = item;
        public ExecutableItem Root { get; } = root;
        public Frame? Parent { get; } = parent;
        public volatile bool Closed;
    }
}
