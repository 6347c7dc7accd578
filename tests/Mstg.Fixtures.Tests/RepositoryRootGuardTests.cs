namespace Mstg.Fixtures.Tests;

/// <summary>
/// One repository-root finder: <see cref="RepositoryLayout.Root"/>. Test projects used to carry their own copies of the
/// walk up to the solution file; a new copy fails here.
/// </summary>
public sealed class RepositoryRootGuardTests
{
    // Assembled so that this file does not contain the pattern it looks for.
    private const string Marker = "\"MstgTests" + ".sln\"";

    private static bool WalksUpToTheSolution(string source) => source.Contains(Marker, StringComparison.Ordinal) && source.Contains(".Parent", StringComparison.Ordinal);

    [Fact]
    public void Only_RepositoryLayout_walks_up_to_the_repository_root()
    {
        var root = RepositoryLayout.Root;
        var finders = new[] { "tests", "fixtures", "suites" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Where(path => WalksUpToTheSolution(File.ReadAllText(path)))
            .Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();
        finders.Should().Equal(["fixtures/Mstg.Fixtures/RepositoryLayout.cs"], "other code asks Mstg.Fixtures.RepositoryLayout.Root");
    }

    [Fact]
    public void The_guard_recognises_a_hand_written_finder_and_not_a_caller()
    {
        WalksUpToTheSolution("for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)\n" +
                             "    if (File.Exists(Path.Combine(dir.FullName, " + Marker + "))) return dir.FullName;").Should().BeTrue();
        WalksUpToTheSolution("public static string Root => Mstg.Fixtures.RepositoryLayout.Root;").Should().BeFalse();
    }
}
