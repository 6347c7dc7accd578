using Mstg.Fixtures.Processes;
using Mstg.Fixtures.Toolchain;

namespace Mstg.MachO.Tests.Support;

/// <summary>
/// LLVM's own Mach-O tools as the independent answer our reader is compared with. Each call writes the
/// bytes to a temp file, runs the tool and parses its text output.
/// </summary>
public static class Oracle
{
    /// <summary><c>llvm-nm-14 -u</c>: undefined symbol names.</summary>
    public static HashSet<string> UndefinedSymbols(byte[] binary, string? arch = null)
    {
        var args = new List<string> { "-u", "--just-symbol-name" };
        if (arch is not null) args.Add($"--arch={arch}");
        return Lines(Run(ClangToolchain.Nm, binary, args)).Where(l => !l.EndsWith(':')).ToHashSet();
    }

    /// <summary>
    /// <c>llvm-objdump-14 --macho --bind --lazy-bind --weak-bind</c>: (symbol, dylib short name) pairs of the
    /// bind and lazy-bind tables, and the symbols of the weak-bind table.
    /// </summary>
    public static (HashSet<(string Symbol, string Dylib)> Binds, HashSet<string> WeakBinds, HashSet<string> WeakImports) Binds(byte[] binary, string? arch = null)
    {
        var args = new List<string> { "--macho", "--bind", "--lazy-bind", "--weak-bind" };
        if (arch is not null) args.Add($"--arch={arch}");
        var binds = new HashSet<(string, string)>();
        var weak = new HashSet<string>();
        var weakImports = new HashSet<string>();
        var table = "";
        foreach (var line in Lines(Run(ClangToolchain.ObjDump, binary, args)))
        {
            if (line.EndsWith("table:")) { table = line; continue; }
            var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 4 || !cols[2].StartsWith("0x")) continue;
            if (cols[^1] == "(weak_import)")
            {
                cols = cols[..^1];
                weakImports.Add(cols[^1]);
            }
            // Bind: segment section address type addend dylib symbol; lazy: segment section address dylib symbol;
            // weak: segment section address type addend symbol.
            if (table.StartsWith("Weak")) weak.Add(cols[^1]);
            else binds.Add((cols[^1], cols[^2]));
        }
        return (binds, weak, weakImports);
    }

    /// <summary><c>llvm-lipo-14 -info</c>: the architecture names of a thin or fat file.</summary>
    public static List<string> Architectures(byte[] binary)
    {
        var text = Run(ClangToolchain.Lipo, binary, ["-info"]).Trim();
        var names = text[(text.LastIndexOf(':') + 1)..];
        return names.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary><c>llvm-objdump-14 --macho --dylibs-used</c>: install names, in order.</summary>
    public static List<string> DylibsUsed(byte[] binary, string? arch = null)
    {
        var args = new List<string> { "--macho", "--dylibs-used" };
        if (arch is not null) args.Add($"--arch={arch}");
        return Lines(Run(ClangToolchain.ObjDump, binary, args))
            .Where(l => l.Contains("(compatibility version"))
            .Select(l => l[..l.IndexOf(" (compatibility version", StringComparison.Ordinal)].Trim())
            .ToList();
    }

    /// <summary><c>llvm-objdump-14 --macho --private-headers</c> as a list of load commands, each a field → value map.</summary>
    public static List<Dictionary<string, string>> LoadCommands(byte[] binary, string? arch = null)
    {
        var args = new List<string> { "--macho", "--private-headers" };
        if (arch is not null) args.Add($"--arch={arch}");
        var commands = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        foreach (var line in Lines(Run(ClangToolchain.ObjDump, binary, args)))
        {
            if (line.StartsWith("Load command")) { commands.Add(current = []); continue; }
            if (current is null) continue;
            var parts = line.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2) current.TryAdd(parts[0], parts[1].Trim());
        }
        return commands;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Run(string tool, byte[] binary, IEnumerable<string> args)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mstg-oracle-{Guid.NewGuid():N}");
        File.WriteAllBytes(file, binary);
        try
        {
            return ExternalProcess.Run(tool, [.. args, file], new() { Timeout = TimeSpan.FromSeconds(60) }).EnsureSuccess().StandardOutput;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
