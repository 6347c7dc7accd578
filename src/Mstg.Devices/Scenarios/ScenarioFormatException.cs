namespace Mstg.Devices.Scenarios;

/// <summary>A scenario file that does not parse or names an unknown action: says which file and which line (1-based).</summary>
public sealed class ScenarioFormatException(string file, int line, string problem, Exception? inner = null)
    : Exception($"{file}:{line}: {problem}", inner)
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Problem { get; } = problem;
}
