using System.Text.RegularExpressions;
using Mstg.Allure.Model;

namespace Mstg.Allure.Categories;

/// <summary>
/// Decides which category a result falls into, with Allure's semantics: Java <c>String.matches</c>, i.e. the
/// regex must match the WHOLE message (with '.' matching line breaks), and the first matching category wins.
/// We use it to test our category definitions against the messages our suites produce, so a regex that only
/// matches part of a message (the classic mistake) is caught before a report silently files it as "Product defects".
/// </summary>
public static class CategoryMatcher
{
    public static bool Matches(Category category, Status status, string? message, string? trace)
    {
        if (category.MatchedStatuses.Count > 0 && !category.MatchedStatuses.Contains(status)) return false;
        if (category.MessageRegex is { } mr && !FullMatch(mr, message ?? "")) return false;
        if (category.TraceRegex is { } tr && !FullMatch(tr, trace ?? "")) return false;
        return true;
    }

    public static Category? FirstMatch(IEnumerable<Category> categories, Status status, string? message, string? trace) =>
        categories.FirstOrDefault(c => Matches(c, status, message, trace));

    public static bool FullMatch(string javaRegex, string text) =>
        Regex.IsMatch(text, $"^(?:{javaRegex})\\z", RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
}
