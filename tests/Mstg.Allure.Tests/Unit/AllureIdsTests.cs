using Mstg.Allure.Ids;
using Mstg.Allure.Model;

namespace Mstg.Allure.Tests.Unit;

public class AllureIdsTests
{
    [Fact]
    public void Md5_matches_known_vectors()
    {
        // RFC 1321 test suite values.
        AllureIds.Md5Hex("").Should().Be("d41d8cd98f00b204e9800998ecf8427e");
        AllureIds.Md5Hex("abc").Should().Be("900150983cd24fb0d6963f7d28e17f72");
    }

    [Fact]
    public void TestCaseId_is_md5_of_full_name()
    {
        const string fullName = "Asm:Ns.Class.Method(System.String)";
        AllureIds.TestCaseId(fullName).Should().Be(AllureIds.Md5Hex(fullName)).And.MatchRegex("^[0-9a-f]{32}$");
    }

    [Fact]
    public void HistoryId_hashes_the_documented_json_with_parameters_sorted_by_name()
    {
        Parameter[] parameters = [new("port", "443"), new("host", "\"a.com\""), new("seed", "7", Excluded: true)];
        var expected = AllureIds.Md5Hex("{\"fullName\":\"Asm:N.C.M(System.String,System.Int32)\",\"parameters\":[\"\\\"a.com\\\"\",\"443\"]}");
        AllureIds.HistoryId("Asm:N.C.M(System.String,System.Int32)", parameters).Should().Be(expected);
    }

    [Fact]
    public void HistoryId_ignores_excluded_parameters_and_parameter_order_but_not_values()
    {
        const string f = "Asm:N.C.M(System.Int32,System.Int32)";
        var run1 = AllureIds.HistoryId(f, [new("a", "1"), new("seed", "100", Excluded: true)]);
        var run2 = AllureIds.HistoryId(f, [new("seed", "999", Excluded: true), new("a", "1")]);
        var otherValue = AllureIds.HistoryId(f, [new("a", "2"), new("seed", "100", Excluded: true)]);
        run2.Should().Be(run1, "a volatile excluded seed must not change the history key across runs");
        otherValue.Should().NotBe(run1);
    }

    [Fact]
    public void FullName_uses_assembly_namespace_class_method_and_parameter_types()
    {
        var method = typeof(Sample).GetMethod(nameof(Sample.Method))!;
        TestNames.FullName(method).Should().Be(
            "Mstg.Allure.Tests:Mstg.Allure.Tests.Unit.AllureIdsTests+Sample.Method(System.String,System.Int32,Mstg.Allure.Tests:Mstg.Allure.Tests.Unit.AllureIdsTests+Sample,System.Collections.Generic.List[System.Int32])");
    }

    public sealed class Sample
    {
        public void Method(string a, int b, Sample c, List<int> d) { }
    }
}
