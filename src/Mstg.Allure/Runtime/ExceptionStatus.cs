using Mstg.Allure.Model;

namespace Mstg.Allure.Runtime;

/// <summary>
/// Allure's two failure kinds: <c>failed</c> when an assertion said the product is wrong, <c>broken</c> for any
/// other exception (the test itself or its environment broke). Recognised by type without referencing any
/// assertion library: xUnit assertions implement an interface named IAssertionException and live in Xunit.Sdk;
/// FluentAssertions throws the test framework's exception type.
/// </summary>
public static class ExceptionStatus
{
    public static Status Of(Exception exception)
    {
        // Assert.Skip throws an exception of its own; a step that ends with it is skipped, not failed.
        if (exception.GetType().Name.Contains("SkipException", StringComparison.Ordinal)) return Status.Skipped;
        for (var type = exception.GetType(); type is not null; type = type.BaseType)
        {
            var name = type.FullName ?? "";
            if (name.StartsWith("Xunit.Sdk.", StringComparison.Ordinal) || name.StartsWith("NUnit.Framework.", StringComparison.Ordinal)
                || name.StartsWith("FluentAssertions.", StringComparison.Ordinal)
                || name == "Microsoft.VisualStudio.TestTools.UnitTesting.AssertFailedException")
                return Status.Failed;
        }
        return exception.GetType().GetInterfaces().Any(i => i.Name == "IAssertionException") ? Status.Failed : Status.Broken;
    }

    public static StatusDetails Details(Exception exception) => new()
    {
        Message = exception.Message,
        Trace = exception.ToString(),
    };
}
