using System.Text;

namespace Mstg.Proxy.Hosting;

/// <summary>
/// The one file a parent hands its relaxed-OpenSSL child (its options, which can hold the proxy password): written
/// readable by this user only, inside the parent's private (0700) folder, and deleted by the child as soon as it is read.
/// </summary>
internal static class OwnerOnlyFile
{
    /// <summary>Writes <paramref name="text"/> with mode 0600, never over an existing file.</summary>
    public static void Write(string path, string text)
    {
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, file);
        stream.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Reads the file and deletes it; a file that cannot be read is an <see cref="MstgInputException"/> naming it.</summary>
    public static async Task<string> ReadAndDeleteAsync(string path, CancellationToken ct)
    {
        try { return await File.ReadAllTextAsync(path, ct).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new MstgInputException(path, "options file", e.Message, e); }
        finally { TryDelete(path); }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the parent deletes its folder anyway
    }
}
