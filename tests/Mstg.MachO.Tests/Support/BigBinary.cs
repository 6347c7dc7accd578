using Mstg.Fixtures.Processes;
using Mstg.Fixtures.Toolchain;

namespace Mstg.MachO.Tests.Support;

/// <summary>
/// A real 150 MB arm64 executable: clang emits a 150 MiB constant array in its own <c>__TEXT,__bigpad</c> section,
/// placed before <c>__cstring</c> and <c>__LINKEDIT</c>, so the reader must pass over it to reach what it needs.
/// Built once into the temp folder and kept there as a file (never loaded whole by the tests).
/// </summary>
public static class BigBinary
{
    public const int PadBytes = 150 * 1024 * 1024;
    public const string Url = "http://big.example.com/after-the-padding";

    private static readonly Lazy<string> Built = new(Build);

    public static string Path => Built.Value;

    private static string Build()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mstg-macho-big");
        Directory.CreateDirectory(dir);
        var output = System.IO.Path.Combine(dir, "big-v1");
        if (File.Exists(output) && new FileInfo(output).Length > PadBytes) return output;

        var source = System.IO.Path.Combine(dir, "big.c");
        var obj = System.IO.Path.Combine(dir, "big.o");
        var partial = output + ".partial";
        File.WriteAllText(source, $$"""
            __attribute__((used, section("__TEXT,__bigpad"))) static const char pad[{{PadBytes}}] = { 1 };
            extern int puts(const char *);
            extern int socket(int, int, int);
            int main(void) { puts("{{Url}}"); return socket(2, 1, 0); }
            """);
        Run(ClangToolchain.Clang, "-target", "arm64-apple-ios15.0", "-O0", "-w", "-c", source, "-o", obj);
        Run(ClangToolchain.Linker, "-arch", "arm64", "-platform_version", "ios", "15.0", "17.0", "-undefined", "dynamic_lookup", "-e", "_main", "-o", partial, obj);
        File.Delete(obj);
        File.Move(partial, output, overwrite: true);
        return output;
    }

    private static void Run(string tool, params string[] args) => ExternalProcess.Run(tool, args).EnsureSuccess();
}
