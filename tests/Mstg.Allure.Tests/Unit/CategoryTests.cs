using Mstg.Allure.Categories;
using Mstg.Allure.Model;

namespace Mstg.Allure.Tests.Unit;

public class CategoryTests
{
    [Fact]
    public void Regex_must_match_the_whole_message_like_java_matches()
    {
        CategoryMatcher.FullMatch("Connection refused", "error: Connection refused by host").Should().BeFalse();
        CategoryMatcher.FullMatch(".*Connection refused.*", "error: Connection refused by host").Should().BeTrue();
        CategoryMatcher.FullMatch(".*refused.*", "line one\nrefused on line two").Should().BeTrue("'.' matches line breaks (DOTALL)");
        CategoryMatcher.FullMatch("a|b", "ab").Should().BeFalse("the anchor wraps the whole alternation");
    }

    [Theory]
    [InlineData("[cleartext] http://api.example.com loaded without TLS", Status.Failed, "Cleartext traffic")]
    [InlineData("Expected True because [weak-tls] TLS 1.0 accepted", Status.Failed, "Weak TLS")]
    [InlineData("[cert-not-validated] self-signed certificate accepted\nmore detail", Status.Failed, "Certificate not validated")]
    [InlineData("[pinning-missing] api.example.com accepted a re-signed chain", Status.Broken, "Pinning missing")]
    [InlineData("[outdated-library] AFNetworking 2.5.1", Status.Failed, "Outdated library")]
    [InlineData("[environment] no simulator booted", Status.Skipped, "Environment problem")]
    [InlineData("Connection refused (127.0.0.1:4723)", Status.Broken, "Environment problem")]
    public void Our_messages_land_in_their_category(string message, Status status, string category) =>
        CategoryMatcher.FirstMatch(MstgCategories.All, status, message, null)!.Name.Should().Be(category);

    [Theory]
    [InlineData("cleartext traffic seen", Status.Failed)]          // no tag: falls to Allure's default "Product defects"
    [InlineData("[cleartext] but the test passed", Status.Passed)]  // status not matched
    [InlineData("[weak-tls] skipped", Status.Skipped)]
    public void Untagged_messages_and_other_statuses_do_not_match(string message, Status status) =>
        CategoryMatcher.FirstMatch(MstgCategories.All, status, message, null).Should().BeNull();

    [Fact]
    public void Tag_builds_the_conventional_prefix() =>
        MstgCategories.Tag(MstgCategories.WeakTls, "TLS 1.0").Should().Be("[weak-tls] TLS 1.0");
}

/// <summary>
/// Allure 3 applies the same regexes with JavaScript (RegExp.test, a search without flags). Node itself is the
/// oracle here: every category must compile in JavaScript and classify our messages as the Java semantics do.
/// </summary>
public class CategoryJavaScriptTests
{
    [Fact]
    public void Every_category_regex_compiles_and_agrees_in_javascript()
    {
        string[] messages =
        [
            "[cleartext] http://a loaded", "x [weak-tls] TLS 1.0", "[cert-not-validated] a\nb", "[pinning-missing] p",
            "[outdated-library] l", "[environment] no device", "Connection refused", "plain failure", "",
        ];
        var cases = MstgCategories.All.SelectMany(c => messages.Select(m => (Regex: c.MessageRegex!, Message: m))).ToList();
        var script = "const cases = JSON.parse(process.argv[1]);" +
                     "console.log(JSON.stringify(cases.map(c => new RegExp(c.Regex).test(c.Message))));";
        var stdout = Mstg.Fixtures.Processes.ExternalProcess
            .Run("node", ["-e", script, System.Text.Json.JsonSerializer.Serialize(cases.Select(c => new { c.Regex, c.Message }))])
            .EnsureSuccess().StandardOutput;
        var js = System.Text.Json.JsonSerializer.Deserialize<bool[]>(stdout)!;
        for (var i = 0; i < cases.Count; i++)
            js[i].Should().Be(CategoryMatcher.FullMatch(cases[i].Regex, cases[i].Message), $"/{cases[i].Regex}/ on \"{cases[i].Message}\"");
    }
}
