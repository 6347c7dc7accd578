using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mstg.Allure.Runtime;

/// <summary>
/// Turns an argument into the string Allure shows and hashes. Like allure-csharp: JSON of the value, so strings
/// keep their quotes ("\"A1\""), numbers are bare and null is "null". Objects JSON cannot serialise fall back
/// to ToString() so a theory with an odd argument still gets a result.
/// </summary>
public static class ParameterValues
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 8,
    };

    public static string Format(object? value)
    {
        if (value is null) return "null";
        try
        {
            return JsonSerializer.Serialize(value, value.GetType(), Options);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            return value.ToString() ?? value.GetType().Name;
        }
    }
}
