using System.Diagnostics;
using Mstg.Proxy.Certificates;

namespace Mstg.Proxy.Cli;

/// <summary>Builds the command line that runs this assembly as its own proxy process with the relaxed OpenSSL configuration.</summary>
public static class ProxyProcess
{
    public static ProcessStartInfo CreateStartInfo(IEnumerable<string> proxyArgs)
    {
        var assembly = typeof(ProxyProcess).Assembly.Location;
        var start = new ProcessStartInfo
        {
            FileName = "dotnet",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        // The referencing app's runtimeconfig may not be next to this assembly; name one that is.
        var runtimeConfig = Path.ChangeExtension(assembly, ".runtimeconfig.json");
        if (File.Exists(runtimeConfig)) { start.ArgumentList.Add("--runtimeconfig"); start.ArgumentList.Add(runtimeConfig); }
        var deps = Path.ChangeExtension(assembly, ".deps.json");
        if (File.Exists(deps)) { start.ArgumentList.Add("--depsfile"); start.ArgumentList.Add(deps); }
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("proxy");
        foreach (var a in proxyArgs) start.ArgumentList.Add(a);
        start.Environment["OPENSSL_CONF"] = LegacyOpenSsl.WriteConfig(Path.Combine(Path.GetTempPath(), "mstg-proxy"));
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }
}
