namespace Mstg.Plist.Tests;

/// <summary>The plist corpus inside the repository (the root is found by <see cref="Mstg.Fixtures.RepositoryLayout"/>).</summary>
internal static class TestPaths
{
    public static string RepoRoot => Mstg.Fixtures.RepositoryLayout.Root;

    public static string InfoPlists => Path.Combine(RepoRoot, "tests", "corpus", "infoplists");
    public static string MastgDemos => Path.Combine(RepoRoot, "tests", "corpus", "mastg-demos");

    /// <summary>Every *.plist of the two corpus folders, sorted so test order and seeds stay stable.</summary>
    public static IReadOnlyList<string> CorpusPlists { get; } =
        Directory.EnumerateFiles(InfoPlists, "*.plist", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(MastgDemos, "*.plist", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Corpus(string fileName) =>
        CorpusPlists.Single(p => Path.GetFileName(p) == fileName || p.EndsWith(fileName, StringComparison.Ordinal));
}
