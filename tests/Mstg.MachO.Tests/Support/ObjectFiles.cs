using Mstg.Fixtures.Processes;
using Mstg.Fixtures.Toolchain;

namespace Mstg.MachO.Tests.Support;

/// <summary>
/// Relocatable objects straight from clang-14. ld64.lld-14 cannot link armv7 ("VANILLA relocation must be
/// extern"), so the 32-bit reader path is exercised on real armv7 MH_OBJECT files instead of executables.
/// </summary>
public static class ObjectFiles
{
    public const string ArmV7Source = """
        extern int socket(int, int, int);
        extern int puts(const char *);
        int main(void) { puts("http://armv7.example.com/legacy"); return socket(2, 1, 0); }
        """;

    private static readonly Lazy<byte[]> ArmV7Object = new(() => Compile(ArmV7Source, "armv7-apple-ios10.0"));
    private static readonly Lazy<byte[]> Arm64Object = new(() => Compile(ArmV7Source, "arm64-apple-ios15.0"));
    private static readonly Lazy<byte[]> ObjcObject = new(() => Compile(TestBinaries.AppSource, "arm64-apple-ios15.0", "objective-c"));

    public static byte[] ArmV7 => ArmV7Object.Value;
    public static byte[] Arm64 => Arm64Object.Value;
    /// <summary>The app source as an unlinked object: its ObjC names still sit in their own sections (lld merges them).</summary>
    public static byte[] Objc => ObjcObject.Value;

    private static byte[] Compile(string source, string target, string language = "c")
    {
        var dir = Directory.CreateTempSubdirectory("mstg-obj-").FullName;
        try
        {
            var c = Path.Combine(dir, "a.c");
            var o = Path.Combine(dir, "a.o");
            File.WriteAllText(c, source);
            ExternalProcess.Run(ClangToolchain.Clang, ["-target", target, "-x", language, "-O0", "-w", "-c", c, "-o", o]).EnsureSuccess();
            return File.ReadAllBytes(o);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
