using Mstg.Allure.Settings;
using Xunit.Sdk;
using Xunit.v3;

namespace Mstg.Suites.Run;

/// <summary>
/// Runs before the Allure recorder writes its environment panel: identifies the configured apps and passes their
/// identity (bundle id, version, build, file, hash) and the settings with their sources on as <c>MSTG_ALLURE_ENV_*</c>
/// entries, and the run's device as <c>MSTG_ALLURE_DEVICE</c>. The console lines come later, from <see cref="RunReport"/>, so discovery does not print them twice.
/// </summary>
public sealed class RunStartup : ITestPipelineStartup
{
    public ValueTask StartAsync(IMessageSink diagnosticMessageSink)
    {
        foreach (var (key, value) in RunDescription.EnvironmentEntries())
            Environment.SetEnvironmentVariable(AllureSettings.EnvironmentPrefix + key, value);
        // Every result names the device (and a real device keys the results' ids): docs/allure.md, "Several devices in one report".
        RunDeviceSetting.Publish(RunDeviceSetting.Resolve());
        return ValueTask.CompletedTask;
    }

    public ValueTask StopAsync() => ValueTask.CompletedTask;
}
