using Mstg.Tls;
using System.Diagnostics;
using Mstg.Proxy.Certificates;

namespace Mstg.Proxy.Cli;

/// <summary>Builds the command line that runs this assembly as its own proxy process with the relaxed OpenSSL configuration.</summary>
public static class ProxyProcess
{
    /// <param name="commandPrefix">Runs the proxy under another command, e.g. <c>ip netns exec NS</c> for a network namespace.</param>
    public static ProcessStartInfo CreateStartInfo(IEnumerable<string> proxyArgs, IReadOnlyList<string>? commandPrefix = null)
    {
        var assembly = typeof(ProxyProcess).Assembly.Location;
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
        start.ArgumentList.Add("proxy");
        foreach (var a in proxyArgs) start.ArgumentList.Add(a);
        // A private folder per start (mode 0700): a shared, predictable path would let another local user swap the
        // OpenSSL configuration, which can load modules into the process holding the CA key.
        start.Environment["OPENSSL_CONF"] = LegacyOpenSsl.WriteConfig(Directory.CreateTempSubdirectory("mstg-openssl-").FullName);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }
}
