namespace Mstg.Devices;

/// <summary>
/// The device side of a run is not usable: Appium or Node missing, a server that never became ready, a farm that cannot
/// be reached or refuses the credentials. It is an environment problem, reported as broken, never as a failed
/// requirement. <see cref="Variable"/> names the setting or credential variable to look at, never its value.
/// </summary>
public sealed class DeviceEnvironmentException(string what, string problem, string? variable = null, Exception? inner = null)
    : Exception($"{what}: {problem}{(variable is null ? "" : $" (check {variable})")}", inner)
{
    public string What { get; } = what;
    public string Problem { get; } = problem;
    public string? Variable { get; } = variable;
}
