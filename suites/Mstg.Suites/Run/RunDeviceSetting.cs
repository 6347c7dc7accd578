using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Mstg.Allure.Settings;
using Mstg.Devices;
using Mstg.Fixtures.Processes;
using Mstg.Suites.Configuration;
using Mstg.Suites.Dynamic;

namespace Mstg.Suites.Run;

/// <summary>
/// The device this run tests, as the report names it. <paramref name="InHistory"/>: the device is part of every
/// result's identity (historyId and Allure's retry key), so the same test on two devices stays two results when the
/// runs of a CI matrix are merged into one report (docs/allure.md, "Several devices in one report").
/// </summary>
public sealed record RunDeviceIdentity(string Name, string Source, bool InHistory)
{
    public override string ToString() => $"{Name} (from {Source})";
}

/// <summary>
/// <c>MSTG_DEVICE_LABEL</c>, or what the configured driver knows. Only a real device (an XCUITest driver: simulator,
/// cabled device, a farm) or an explicit label enters the results' ids; a local target (a Chromium reference target,
/// a process app) and a static-only run are described, not keyed, so their history continues exactly as before.
/// <c>MSTG_DEVICE_NAME</c> is not the setting: it is the device-name capability the XCUITest drivers send.
/// </summary>
public static class RunDeviceSetting
{
    public const string LabelVariable = "MSTG_DEVICE_LABEL";

    private static readonly Lazy<string?> ChromiumVersion = new(ReadChromiumVersion);

    private static readonly Lazy<RunDeviceIdentity> Current = new(Identify);

    /// <summary>The run's device, worked out once: the settings do not change during a run, and the start line, the
    /// environment panel and the Allure recorder all ask for it.</summary>
    public static RunDeviceIdentity Resolve() => Current.Value;

    private static RunDeviceIdentity Identify()
    {
        var label = SuiteSettings.Read(LabelVariable);
        if (label.IsSet) return new RunDeviceIdentity(label.Value!, label.Source, InHistory: true);
        if (!DynamicSettings.DriverConfigured) return new RunDeviceIdentity("static", "no app driver configured", InHistory: false);
        try
        {
            if (DynamicSettings.ReferenceTargets is { Count: > 0 } references)
            {
                // Reference targets run on this machine: Chromium for the web apps, a process for the clients (both with several).
                var chromium = references.Select(IsChromiumReference).ToList();
                var name = chromium.All(c => c) ? Chromium() : chromium.Any(c => c) ? Chromium() + " + process" : "process";
                return new RunDeviceIdentity(chromium.Any(c => c) ? name + " (reference)" : name,
                    $"{DynamicSettings.TargetVariable}={string.Join(";", references)}", InHistory: false);
            }
            var settings = DeviceSettings.FromEnvironment(name => SuiteSettings.Read(name).Value);
            var driver = $"MSTG_DRIVER={settings.Kind.ToString().ToLowerInvariant()}";
            return settings.Kind switch
            {
                DriverKind.Process => new RunDeviceIdentity("process", driver, InHistory: false),
                DriverKind.Chromium => new RunDeviceIdentity(Chromium(), driver, InHistory: false),
                _ => new RunDeviceIdentity(settings.XcuitestTarget().Device, driver + " capabilities", InHistory: true),
            };
        }
        catch (Exception e) when (e is DeviceEnvironmentException or DynamicEnvironmentException)
        {
            // The dynamic tests report the problem as broken; the device is then only as known as the settings say.
            var kind = SuiteSettings.Read("MSTG_DRIVER").Value ?? "unknown driver";
            var keyed = DeviceSettings.DriverNames.TryGetValue(kind, out var k) && k is not (DriverKind.Chromium or DriverKind.Process);
            return new RunDeviceIdentity($"{kind} (device not configured)", e.Message, keyed);
        }
    }

    /// <summary>Hands the device to the Allure recorder (it reads these before writing any result).</summary>
    public static void Publish(RunDeviceIdentity device)
    {
        Environment.SetEnvironmentVariable(AllureSettings.DeviceVariable, device.Name);
        Environment.SetEnvironmentVariable(AllureSettings.DeviceInHistoryVariable, device.InHistory ? "true" : "false");
    }

    private static string Chromium() => ChromiumVersion.Value is { } version ? $"Chromium {version}" : "Chromium";

    // Out of line: a run against the user's own app never loads the reference fixtures (DynamicReferenceTarget's rule).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsChromiumReference(string name)
    {
        try { return ReferenceTargets.Catalog.ReferenceTargetCatalog.Get(name).Kind == DriverKind.Chromium; }
        catch (KeyNotFoundException e) { throw new DynamicEnvironmentException($"{DynamicSettings.TargetVariable}: {e.Message}", e); }
    }

    /// <summary>The installed Chromium's version (<c>chromium --version</c>), or null when it cannot be run: the name is then just "Chromium".</summary>
    private static string? ReadChromiumVersion()
    {
        try
        {
            var run = ExternalProcess.Run(new Devices.Chromium.ChromiumAppSettings(new Uri("http://127.0.0.1/")).ChromiumPath, ["--version"],
                new ProcessOptions { Timeout = TimeSpan.FromSeconds(20) });
            var match = Regex.Match(run.StandardOutput, @"\d+(\.\d+)+");
            return run.Succeeded && match.Success ? match.Value : null;
        }
        catch (Exception e) when (e is ExternalProcessException or System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null;
        }
    }
}
