using Mstg.Allure.Model;

namespace Mstg.Allure.Runtime;

/// <summary>
/// Put on a theory parameter to control how its argument is reported. <see cref="Excluded"/> leaves the value out
/// of the history key — use it for seeds, ports, timestamps and temp paths, whose change would otherwise make
/// every run look like a new test. Example: <c>void Handshake(string host, [AllureParameter(Excluded = true)] int seed)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class AllureParameterAttribute : Attribute
{
    public bool Excluded { get; set; }
    public ParameterMode Mode { get; set; } = ParameterMode.Default;
    /// <summary>Display name; defaults to the C# parameter name.</summary>
    public string? Name { get; set; }
}
