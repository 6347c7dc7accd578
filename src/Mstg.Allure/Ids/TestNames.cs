using System.Reflection;
using System.Text;

namespace Mstg.Allure.Ids;

/// <summary>
/// Builds the stable method identity used as fullName: <c>Assembly:Namespace.Class.Method(ParamType,…)</c>.
/// Core-library types are written bare (<c>System.String</c>); other types get their assembly name in front
/// (<c>MyAsm:My.Type</c>) so two types with the same name in different assemblies stay apart. Nested types use
/// '+' and generic arguments go in square brackets. Argument VALUES never appear: they live in parameters.
/// </summary>
public static class TestNames
{
    public static string FullName(MethodInfo method)
    {
        var type = method.ReflectedType ?? method.DeclaringType
            ?? throw new ArgumentException($"Method {method.Name} has no declaring type.", nameof(method));
        var parameterTypes = string.Join(",", method.GetParameters().Select(p => TypeName(p.ParameterType)));
        var generic = method.IsGenericMethodDefinition
            ? "[" + string.Join(",", method.GetGenericArguments().Select(a => a.Name)) + "]"
            : "";
        return $"{type.Assembly.GetName().Name}:{ClassName(type)}.{method.Name}{generic}({parameterTypes})";
    }

    /// <summary>Namespace-qualified class name with '+' for nesting and no generic arity noise.</summary>
    public static string ClassName(Type type)
    {
        var sb = new StringBuilder();
        AppendName(sb, type);
        return sb.ToString();
    }

    public static string TypeName(Type type)
    {
        if (type.IsByRef) return TypeName(type.GetElementType()!) + "&";
        if (type.IsArray) return TypeName(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        if (type.IsGenericParameter) return type.Name;
        var sb = new StringBuilder();
        if (type.Assembly != typeof(object).Assembly) sb.Append(type.Assembly.GetName().Name).Append(':');
        AppendName(sb, type);
        if (type.IsGenericType)
            sb.Append('[').Append(string.Join(",", type.GetGenericArguments().Select(TypeName))).Append(']');
        return sb.ToString();
    }

    private static void AppendName(StringBuilder sb, Type type)
    {
        if (type.IsNested && type.DeclaringType is { } outer)
        {
            AppendName(sb, outer);
            sb.Append('+');
        }
        else if (!string.IsNullOrEmpty(type.Namespace))
        {
            sb.Append(type.Namespace).Append('.');
        }
        var name = type.Name;
        var tick = name.IndexOf('`');
        sb.Append(tick < 0 ? name : name[..tick]);
    }

    /// <summary>[assembly, namespace segments…, class] — the tree Allure 3 builds when no grouping is configured.</summary>
    public static List<string> TitlePath(Type type)
    {
        var path = new List<string> { type.Assembly.GetName().Name ?? "tests" };
        if (!string.IsNullOrEmpty(type.Namespace)) path.AddRange(type.Namespace.Split('.'));
        path.Add(ClassName(type)[(string.IsNullOrEmpty(type.Namespace) ? 0 : type.Namespace.Length + 1)..]);
        return path;
    }
}
