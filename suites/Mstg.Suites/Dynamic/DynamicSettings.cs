using Mstg.Suites.Configuration;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// The dynamic suite's own settings, read with the suites' precedence (<see cref="SuiteSettings.Read"/>: <c>-e</c>, then
/// the environment, then a runsettings <c>MSTG_DEFAULT_…</c>). The app driver's settings are docs/devices.md's
/// (<c>MSTG_DRIVER</c>, <c>MSTG_APP_COMMAND</c> …). docs/dynamic.md lists them all.
/// </summary>
public static class DynamicSettings
{
    /// <summary>The hosts the conditions apply to, ','-separated. Falls back to <see cref="SuiteSettings.FirstPartyVariable"/>.</summary>
    public const string FirstPartyHostsVariable = "MSTG_FIRST_PARTY_HOSTS";
    /// <summary>PEM file of the roots the app trusts on its own, without the run's CA.</summary>
    public const string AppCaVariable = "MSTG_APP_CA";
    /// <summary><c>host=address:port,…</c>: where the proxy reaches a host.</summary>
    public const string HostMapVariable = "MSTG_PROXY_HOST_MAP";
    /// <summary>1: the proxy reaches only the hosts of <see cref="HostMapVariable"/> (a browser's own background traffic never leaves the machine).</summary>
    public const string HostMapOnlyVariable = "MSTG_PROXY_HOST_MAP_ONLY";
    /// <summary>PEM file of the roots the proxy trusts upstream (else the system store).</summary>
    public const string UpstreamCaVariable = "MSTG_PROXY_UPSTREAM_CA";
    /// <summary>The scenario file the app runs under each condition; default: launch.</summary>
    public const string ScenarioVariable = "MSTG_SCENARIO";
    /// <summary>Milliseconds the proxy must be quiet before a condition's window closes.</summary>
    public const string SettleVariable = "MSTG_DYNAMIC_SETTLE_MS";
    /// <summary>The loopback port the run's proxy listens on (a simulator's Mac proxy setting needs a known one); default: any free port.</summary>
    public const string ProxyPortVariable = "MSTG_PROXY_PORT";
    /// <summary>Milliseconds a condition's window waits for the app's first connection to be reported before it can read as "no traffic".</summary>
    public const string TrafficWaitVariable = "MSTG_DYNAMIC_TRAFFIC_WAIT_MS";
    /// <summary><c>reference:&lt;name&gt;</c>, or several ';'-separated: run against reference targets with the reference backend (DynamicReferenceTarget), one after another.</summary>
    public const string TargetVariable = "MSTG_DYNAMIC_TARGET";
    /// <summary>Where every dynamic case's verdict is written as JSON.</summary>
    public const string VerdictsVariable = "MSTG_DYNAMIC_VERDICTS";

    public static IReadOnlyList<string> FirstPartyHosts
    {
        get
        {
            var own = SuiteSettings.Read(FirstPartyHostsVariable);
            // A reference target's hosts are the catalogue's, not the static suite's first-party domains.
            var value = own.IsSet ? own.Value
                : DynamicReferenceTarget.IsReference(TargetSetting.Value) ? string.Join(",", DynamicReferenceTarget.FirstPartyHosts())
                : SuiteSettings.FirstPartySetting.Value;
            return (value ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(h => h.TrimStart('*', '.').ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToList();
        }
    }

    /// <summary>
    /// The names of the targets the dynamic cases run against, in the order given: the <c>reference:</c> names of
    /// <see cref="TargetVariable"/> without the prefix (a ';'-separated list, like MSTG_APP), or the one
    /// <see cref="OwnApp"/> when the app comes from the driver settings (or no device is configured). Read at discovery,
    /// so it never throws: a malformed entry stays in the list as written and <see cref="ReferenceTargets"/> reports it.
    /// </summary>
    public static IReadOnlyList<string> TargetNames
    {
        get
        {
            var setting = TargetSetting;
            if (!setting.IsSet) return [OwnApp];
            var names = Entries(setting.Value)
                .Select(e => DynamicReferenceTarget.IsReference(e) ? e[DynamicReferenceTarget.Prefix.Length..].Trim() : e)
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return names.Count == 0 ? [OwnApp] : names;
        }
    }

    /// <summary>The dynamic target's name when the app is the user's own driver, not a reference target: the table's "dynamic" column.</summary>
    public const string OwnApp = "dynamic";

    /// <summary>The <c>reference:&lt;name&gt;</c> targets asked for (names without the prefix, in order), or empty (the app comes from the driver settings).</summary>
    public static IReadOnlyList<string> ReferenceTargets
    {
        get
        {
            var setting = TargetSetting;
            if (!setting.IsSet) return [];
            var entries = Entries(setting.Value);
            var bad = entries.Count == 0 ? setting.Value ?? "" : entries.FirstOrDefault(e => !DynamicReferenceTarget.IsReference(e));
            if (bad is not null)
                throw new DynamicEnvironmentException($"{TargetVariable}: '{bad}' is not reference:<name> (from {setting.Source}; docs/dynamic.md)");
            return TargetNames;
        }
    }

    /// <summary>Where <see cref="TargetVariable"/> came from (<c>environment</c>, <c>runsettings …</c>), for error messages.</summary>
    public static string TargetSource => TargetSetting.Source;

    private static List<string> Entries(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>
    /// The target setting in effect: a runsettings default (local.runsettings' reference target) gives way to a driver the
    /// user configured (MSTG_DRIVER or MSTG_APP_URL from the environment), so "defaults, overridden by yours" holds.
    /// </summary>
    private static SettingValue TargetSetting
    {
        get
        {
            var setting = SuiteSettings.Read(TargetVariable);
            var ownDriver = new[] { SuiteSettings.Read("MSTG_DRIVER"), SuiteSettings.Read("MSTG_APP_URL") }.Any(s => s.IsSet && s.Source.StartsWith("environment", StringComparison.Ordinal));
            return setting.IsSet && setting.Source.StartsWith("runsettings", StringComparison.Ordinal) && ownDriver
                ? new SettingValue(TargetVariable, null, "default") : setting;
        }
    }

    public static string? AppCa => ExistingFile(AppCaVariable);
    public static string? UpstreamCa => ExistingFile(UpstreamCaVariable);
    public static string? ScenarioFile => ExistingFile(ScenarioVariable);

    public static IReadOnlyDictionary<string, string> HostMap
    {
        get
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in (SuiteSettings.Read(HostMapVariable).Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || parts[0].Length == 0 || !System.Net.IPEndPoint.TryParse(parts[1], out _))
                    throw new DynamicEnvironmentException($"{HostMapVariable}: '{entry}' is not host=address:port");
                map[parts[0]] = parts[1];
            }
            return map;
        }
    }

    public static bool HostMapOnly => SuiteSettings.Flag(HostMapOnlyVariable);

    public static TimeSpan Settle =>
        int.TryParse(SuiteSettings.Read(SettleVariable).Value, out var ms) && ms >= 0 ? TimeSpan.FromMilliseconds(ms) : TimeSpan.FromMilliseconds(300);

    public static TimeSpan TrafficWait =>
        int.TryParse(SuiteSettings.Read(TrafficWaitVariable).Value, out var ms) && ms >= 0 ? TimeSpan.FromMilliseconds(ms) : TimeSpan.FromSeconds(3);

    public static string? VerdictsPath => SuiteSettings.Read(VerdictsVariable).Value;

    /// <summary>
    /// A CA saved with <c>mstg ca export --key-out --valid-days N</c> that the device already trusts, used in place of a
    /// fresh one: a real device or farm trusts it once instead of every run. Both or neither.
    /// </summary>
    public const string ProxyCaCertVariable = "MSTG_PROXY_CA_CERT";
    public const string ProxyCaKeyVariable = "MSTG_PROXY_CA_KEY";

    public static (string Cert, string Key)? SavedCa
    {
        get
        {
            var cert = ExistingFile(ProxyCaCertVariable);
            var key = ExistingFile(ProxyCaKeyVariable);
            if (cert is null && key is null) return null;
            if (cert is null || key is null)
                throw new DynamicEnvironmentException($"{(cert is null ? ProxyCaCertVariable : ProxyCaKeyVariable)} is required with " +
                                                      $"{(cert is null ? ProxyCaKeyVariable : ProxyCaCertVariable)}: give the saved CA's certificate and its key, or neither");
            return (cert, key);
        }
    }

    /// <summary>1: the person running the suite installed the run's CA and enabled full trust for it (a real device or farm).</summary>
    public const string RunCaTrustedVariable = "MSTG_RUN_CA_TRUSTED";

    public static bool RunCaTrusted => SuiteSettings.Flag(RunCaTrustedVariable);

    public static int ProxyPort
    {
        get
        {
            var setting = SuiteSettings.Read(ProxyPortVariable);
            if (!setting.IsSet) return 0;
            return int.TryParse(setting.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                ? port
                : throw new DynamicEnvironmentException($"{ProxyPortVariable}: '{setting.Value}' is not a port number (from {setting.Source})");
        }
    }

    /// <summary>Is any app driver configured? Without one every dynamic case skips ("no device configured").</summary>
    public static bool DriverConfigured =>
        SuiteSettings.Read("MSTG_DRIVER").IsSet || SuiteSettings.Read("MSTG_APP_URL").IsSet || TargetSetting.IsSet;

    private static string? ExistingFile(string variable)
    {
        var setting = SuiteSettings.Read(variable);
        if (!setting.IsSet) return null;
        var path = Path.GetFullPath(setting.Value!);
        return File.Exists(path) ? path : throw new DynamicEnvironmentException($"{variable}: {path} does not exist (from {setting.Source})");
    }
}

/// <summary>
/// The dynamic run cannot test (the proxy did not start, a port is taken, the driver or device is unreachable, a setting
/// is wrong): an environment problem, reported as broken, never as a failed requirement. No stack trace: the message says
/// what to fix.
/// </summary>
public sealed class DynamicEnvironmentException(string message, Exception? inner = null) : Exception(message, inner)
{
    public override string? StackTrace => null;
}
