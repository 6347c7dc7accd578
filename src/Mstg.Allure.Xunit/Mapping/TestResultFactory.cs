using System.Reflection;
using Mstg.Allure.Ids;
using Mstg.Allure.Model;
using Mstg.Allure.Runtime;
using Xunit.v3;

namespace Mstg.Allure.Xunit.Mapping;

/// <summary>Builds the Allure result of one xUnit test from its test case (and arguments, when known).</summary>
public static class TestResultFactory
{
    public static TestResult Create(IXunitTestCase testCase, string displayName, object?[]? arguments,
        IReadOnlyDictionary<string, IReadOnlyCollection<string>> traits, long start)
    {
        var type = testCase.TestClass.Class;
        var method = testCase.TestMethod.Method;
        var className = TestNames.ClassName(type);
        var fullName = $"{type.Assembly.GetName().Name}:{className}.{method.Name}(" +
                       string.Join(",", method.GetParameters().Select(p => TestNames.TypeName(p.ParameterType))) + ")";
        var result = new TestResult
        {
            Uuid = AllureIds.NewUuid(),
            Name = ShortName(displayName, className),
            FullName = fullName,
            TestCaseId = AllureIds.TestCaseId(fullName),
            TitlePath = TestNames.TitlePath(type),
            Start = start,
            Stage = Stage.Running,
        };
        result.Parameters.AddRange(Parameters(method, arguments));
        TraitMapping.Apply(traits, result);
        AddDefaultLabels(result, type, className, method);
        return result;
    }

    /// <summary>xUnit's default display name repeats the class ("Ns.Class.Method(x: 1)"); the report already shows the class.</summary>
    public static string ShortName(string displayName, string className) =>
        displayName.StartsWith(className + ".", StringComparison.Ordinal) ? displayName[(className.Length + 1)..] : displayName;

    public static IEnumerable<Parameter> Parameters(MethodInfo method, object?[]? arguments)
    {
        if (arguments is null) yield break;
        var parameters = method.GetParameters();
        for (var i = 0; i < parameters.Length && i < arguments.Length; i++)
        {
            var options = parameters[i].GetCustomAttribute<AllureParameterAttribute>();
            yield return new Parameter(
                options?.Name ?? parameters[i].Name ?? $"arg{i}",
                ParameterValues.Format(arguments[i]),
                options?.Excluded ?? false,
                options?.Mode ?? ParameterMode.Default);
        }
    }

    private static void AddDefaultLabels(TestResult result, Type type, string className, MethodInfo method)
    {
        var labels = result.Labels;
        labels.Add(new Label(LabelNames.Host, Environment.MachineName));
        labels.Add(new Label(LabelNames.Thread, $"{Environment.ProcessId}.{Environment.CurrentManagedThreadId}"));
        labels.Add(new Label(LabelNames.Language, "C#"));
        labels.Add(new Label(LabelNames.Framework, "xUnit.net v3"));
        labels.Add(new Label(LabelNames.TestClass, className));
        labels.Add(new Label(LabelNames.TestMethod, method.Name));
        labels.Add(new Label(LabelNames.Package, className));
        // Default suite tree only when the test gave none: mixing a given suite with defaults would scatter it.
        if (!labels.Any(l => LabelNames.IsSuiteLabel(l.Name)))
        {
            labels.Add(new Label(LabelNames.ParentSuite, type.Assembly.GetName().Name ?? "tests"));
            if (!string.IsNullOrEmpty(type.Namespace)) labels.Add(new Label(LabelNames.Suite, type.Namespace));
            labels.Add(new Label(LabelNames.SubSuite, className[(string.IsNullOrEmpty(type.Namespace) ? 0 : type.Namespace.Length + 1)..]));
        }
    }
}
