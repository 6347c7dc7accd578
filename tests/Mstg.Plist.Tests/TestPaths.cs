namespace Mstg.Plist.Tests;

/// <summary>Finds the repository root (the folder holding MstgTests.sln) and the plist corpus inside it.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

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

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MstgTests.sln"))) return dir.FullName;
        throw new InvalidOperationException("MstgTests.sln not found above " + AppContext.BaseDirectory);
    }
}
