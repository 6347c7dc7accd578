using System.Diagnostics;
using Mstg.Tls;

namespace Mstg.Proxy.Hosting;

/// <summary>
/// Builds the command line that runs this assembly as its own proxy process with the relaxed OpenSSL configuration:
/// <c>dotnet exec Mstg.Proxy.dll host OPTIONS.json</c> for <see cref="ProxyHost"/>, or
/// <c>dotnet exec Mstg.Proxy.dll proxy-command OPTIONS.json</c> for <c>mstg proxy --legacy-tls</c> (the command-line
/// code in Cli/). Either way the child gets one private options file, never options as arguments.
/// </summary>
public static class ProxyChildProcess
{
    /// <summary>The first argument of the child entry that reads one options document (<see cref="ProxyChild"/>).</summary>
    public const string HostVerb = "host";

    /// <param name="arguments">Arguments after the assembly, e.g. <c>host /tmp/…/options.json</c> or <c>proxy-command /tmp/…/proxy-command.json</c>.</param>
    /// <param name="privateDir">
    /// A folder only this user can open (0700), owned by the caller, who deletes it when the child has ended: the
    /// OpenSSL configuration goes there, since a shared, predictable path would let another local user swap it, and
    /// it can load modules into the process holding the CA key.
    /// </param>
    /// <param name="commandPrefix">Runs the proxy under another command, e.g. <c>ip netns exec NS</c> for a network namespace.</param>
    public static ProcessStartInfo CreateStartInfo(IEnumerable<string> arguments, string privateDir, IReadOnlyList<string>? commandPrefix = null)
    {
        var assembly = typeof(ProxyChildProcess).Assembly.Location;
        var start = new ProcessStartInfo
        {
            FileName = commandPrefix is { Count: > 0 } ? commandPrefix[0] : "dotnet",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (commandPrefix is { Count: > 0 })
        {
            foreach (var p in commandPrefix.Skip(1)) start.ArgumentList.Add(p);
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add("exec");
        // The referencing app's runtimeconfig may not be next to this assembly; name one that is.
        var runtimeConfig = Path.ChangeExtension(assembly, ".runtimeconfig.json");
        if (File.Exists(runtimeConfig)) { start.ArgumentList.Add("--runtimeconfig"); start.ArgumentList.Add(runtimeConfig); }
        var deps = Path.ChangeExtension(assembly, ".deps.json");
        if (File.Exists(deps)) { start.ArgumentList.Add("--depsfile"); start.ArgumentList.Add(deps); }
        start.ArgumentList.Add(assembly);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["OPENSSL_CONF"] = LegacyOpenSsl.WriteConfig(privateDir);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }

    /// <summary>A fresh private folder (0700 on Unix) for one child's files.</summary>
    public static string CreatePrivateDirectory() => Directory.CreateTempSubdirectory("mstg-proxy-").FullName;
}
