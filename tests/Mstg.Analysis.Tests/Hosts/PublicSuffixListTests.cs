using Mstg.Analysis.Hosts;

namespace Mstg.Analysis.Tests.Hosts;

public class PublicSuffixListTests
{
    [Theory]
    [InlineData("com", true)]
    [InlineData("co.uk", true)]
    [InlineData("github.io", true)]       // private section counts: it opens every GitHub Pages site
    [InlineData("anything.ck", true)]     // *.ck
    [InlineData("COM.", true)]            // case and a trailing dot do not matter
    [InlineData("xn--p1ai", true)]        // .рф, listed in Unicode
    [InlineData("www.ck", false)]         // !www.ck
    [InlineData("example.com", false)]
    [InlineData("myapp.github.io", false)]
    [InlineData("localhost", false)]      // an unlisted single label is a local name, not a registry
    [InlineData("", false)]
    public void Names_that_are_themselves_public_suffixes(string name, bool expected) =>
        PublicSuffixList.Default.IsPublicSuffix(name).Should().Be(expected);

    [Fact]
    public void The_embedded_list_is_the_whole_file() =>
        PublicSuffixList.Default.RuleCount.Should().BeGreaterThan(9000, "the 2023-02-09 list has about 9,500 rules");

    [Fact]
    public void Parsing_follows_the_list_format()
    {
        var list = PublicSuffixList.Parse(new StringReader("// comment\n\nfoo\n*.bar\n!ok.bar\nbaz.qux extra words\n"));
        list.IsPublicSuffix("foo").Should().BeTrue();
        list.IsPublicSuffix("x.bar").Should().BeTrue();
        list.IsPublicSuffix("ok.bar").Should().BeFalse();
        list.IsPublicSuffix("bar").Should().BeFalse();
        list.IsPublicSuffix("baz.qux").Should().BeTrue();
        list.RuleCount.Should().Be(4);
    }
}
