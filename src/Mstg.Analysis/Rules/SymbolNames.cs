namespace Mstg.Analysis.Rules;

/// <summary>Symbol-name helpers shared by the binary rules.</summary>
internal static class SymbolNames
{
    /// <summary>The C name of a Mach-O symbol: Mach-O prefixes C symbols with one underscore (<c>_socket</c>).</summary>
    public static string Plain(string name) => name.StartsWith('_') ? name[1..] : name;
}
