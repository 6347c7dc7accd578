using System.Text;
using System.Text.Json;
using Mstg.Allure.Ids;
using Mstg.Allure.Model;

namespace Mstg.Allure.Writing;

/// <summary>
/// Writes one flat allure-results folder. Every file goes to a temporary name first and is then renamed, so a
/// reader (or a report generated while a slow suite is still running) never sees half a JSON file, and a
/// crash leaves at most a stray <c>.tmp</c> that neither Allure reader picks up.
/// Safe to call from several threads: each call writes its own file.
/// </summary>
public sealed class AllureResultsWriter
{
    public AllureResultsWriter(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>
    /// Makes the folder ready for a run: creates it, deletes what an earlier run left when <paramref name="clean"/>,
    /// and copies <c>&lt;previous report&gt;/history/*</c> into <c>history/</c> so Allure 2 can draw trends.
    /// </summary>
    public void Prepare(bool clean, string? previousReportDirectory)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (clean)
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory)) File.Delete(file);
            foreach (var dir in System.IO.Directory.EnumerateDirectories(Directory)) System.IO.Directory.Delete(dir, recursive: true);
        }
        if (previousReportDirectory is not null)
        {
            var history = Path.Combine(previousReportDirectory, "history");
            if (System.IO.Directory.Exists(history))
            {
                var target = Path.Combine(Directory, "history");
                System.IO.Directory.CreateDirectory(target);
                foreach (var file in System.IO.Directory.EnumerateFiles(history))
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            }
        }
    }

    public string WriteResult(TestResult result)
    {
        var path = Path.Combine(Directory, $"{AllureIds.NewUuid()}-result.json");
        WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(result, AllureJson.Options));
        return path;
    }

    public string WriteContainer(TestResultContainer container)
    {
        var path = Path.Combine(Directory, $"{AllureIds.NewUuid()}-container.json");
        WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(container, AllureJson.Options));
        return path;
    }

    /// <summary>Stores the bytes and returns the <see cref="Attachment"/> to put into a result or step.</summary>
    /// <param name="name">Display name; may contain anything (it is not used for the file name).</param>
    public Attachment WriteAttachment(string name, byte[] content, string mimeType, string? extension)
    {
        var source = AttachmentFiles.SourceName(AllureIds.NewUuid(), extension);
        WriteAtomically(Path.Combine(Directory, source), content);
        return new Attachment(string.IsNullOrWhiteSpace(name) ? source : name, source, mimeType);
    }

    public void WriteEnvironment(IEnumerable<KeyValuePair<string, string>> entries) =>
        WriteAtomically(Path.Combine(Directory, "environment.properties"), Encoding.UTF8.GetBytes(JavaProperties.Format(entries)));

    public void WriteExecutor(ExecutorInfo executor) =>
        WriteAtomically(Path.Combine(Directory, "executor.json"), JsonSerializer.SerializeToUtf8Bytes(executor, AllureJson.Indented));

    /// <summary>
    /// Writes categories.json (read by Allure 2 and the Allure 3 classic plugin) and allurerc.json with the same
    /// list, because the Allure 3 "awesome" report ignores categories.json and only reads the config file.
    /// </summary>
    public void WriteCategories(IReadOnlyList<Category> categories)
    {
        WriteAtomically(Path.Combine(Directory, "categories.json"), JsonSerializer.SerializeToUtf8Bytes(categories, AllureJson.Indented));
        WriteAtomically(Path.Combine(Directory, "allurerc.json"),
            JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["categories"] = categories }, AllureJson.Indented));
    }

    private void WriteAtomically(string path, byte[] content)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temp = path + "." + AllureIds.NewUuid()[..8] + ".tmp";
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
