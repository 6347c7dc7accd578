using System.Text.Json.Serialization;

namespace Mstg.Dynamic.Judging;

/// <summary>
/// How sure the run is that the app trusts the run's CA, which the pinning case (<c>trusted-ca</c>) rests on. A device
/// that does not trust the CA refuses the interception exactly as a pinning app does, so a refusal only proves pinning
/// once trust is established: by the driver, by the person running the suite, or by the window itself (a connection
/// the app accepted under the same condition).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunCaTrust>))]
public enum RunCaTrust
{
    /// <summary>Nothing says the CA is trusted (a real device or a farm, where trust needs a person's switch).</summary>
    Unproven,
    /// <summary>The driver put the CA where the app's TLS stack reads its roots (a process's CA file, Chromium's NSS store, a simulator's keychain).</summary>
    Installed,
    /// <summary>The person running the suite confirmed it (MSTG_RUN_CA_TRUSTED=1 after installing the profile and enabling full trust).</summary>
    Confirmed,
}
