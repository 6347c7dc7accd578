namespace Mstg.Cli;

/// <summary>Commands implemented by other libraries (proxy, CA export), routed here so there is one <c>mstg</c>.</summary>
internal static class ExternalCommands
{
    /// <summary>Runs the command, or returns null when no library owns <paramref name="args"/>[0].</summary>
    public static Task<int?> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        Task.FromResult<int?>(null);
}
