namespace Mstg;

/// <summary>
/// The one exception type bad input turns into: it names the file, the place inside it and what was wrong.
/// Readers (plist, Mach-O, bundle) derive their own types from it so callers can catch all of them at once
/// and the command line can map them to exit code 2.
/// </summary>
public class MstgInputException : Exception
{
    public MstgInputException(string source, string place, string problem, Exception? inner = null)
        : base($"{source}: {place}: {problem}", inner)
    {
        Source = source;
        Place = place;
        Problem = problem;
    }

    /// <summary>The file (or entry inside an archive) that was being read.</summary>
    public new string Source { get; }

    /// <summary>Where in it: <c>line 12</c>, <c>byte 0x1f4</c>, <c>entry Payload/App.app/Info.plist</c>.</summary>
    public string Place { get; }

    /// <summary>What was wrong, in plain words.</summary>
    public string Problem { get; }
}
