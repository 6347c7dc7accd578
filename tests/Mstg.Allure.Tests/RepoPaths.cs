namespace Mstg.Allure.Tests;

internal static class RepoPaths
{
    /// <summary>The repository root, found once by <see cref="Mstg.Fixtures.RepositoryLayout"/>.</summary>
    public static string Root => Mstg.Fixtures.RepositoryLayout.Root;

    /// <summary>Fails clearly when the pinned npm packages are not installed (CI runs `npm ci`).</summary>
    public static void RequireNodeModules()
    {
        foreach (var path in new[] { "node_modules/allure-commandline/dist/bin/allure", "node_modules/allure/cli.js" })
            if (!File.Exists(Path.Combine(Root, path)))
                throw new InvalidOperationException($"{path} is missing under {Root}: run `npm ci` at the repository root first.");
    }
}
