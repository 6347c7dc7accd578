namespace Mstg.Allure.Tests;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MstgTests.sln"))) return dir.FullName;
        throw new InvalidOperationException("MstgTests.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Fails clearly when the pinned npm packages are not installed (CI runs `npm ci`).</summary>
    public static void RequireNodeModules()
    {
        foreach (var path in new[] { "node_modules/allure-commandline/dist/bin/allure", "node_modules/allure/cli.js" })
            if (!File.Exists(Path.Combine(Root, path)))
                throw new InvalidOperationException($"{path} is missing under {Root}: run `npm ci` at the repository root first.");
    }
}
