using Mstg.Analysis.Libraries;

namespace Mstg.Analysis.Tests.Libraries;

public class LibraryVersionTests
{
    [Theory]
    [InlineData("1.0.1f", "1.0.1g")]
    [InlineData("1.0.1", "1.0.1a")]
    [InlineData("1.0.1z", "1.0.1za")]
    [InlineData("1.0.2y", "1.0.2zg")]
    [InlineData("1.0.2zf", "1.0.2zg")]
    [InlineData("1.0.1zz", "1.0.2")]
    [InlineData("0.9.8zh", "1.0.0")]
    [InlineData("2.5.1", "2.5.2")]
    [InlineData("2.5", "2.5.1")]
    [InlineData("2.9.9", "2.10.0")]
    [InlineData("5.0.0-beta.1", "5.0.0-beta.2")]
    [InlineData("5.0.0-beta.2", "5.0.0-rc.1")]
    [InlineData("5.0.0-rc.1", "5.0.0")]
    [InlineData("0", "0.0.1")]
    public void Orders_versions(string lower, string higher)
    {
        var a = LibraryVersion.Parse(lower);
        var b = LibraryVersion.Parse(higher);
        a.Should().BeLessThan(b);
        b.Should().BeGreaterThan(a);
    }

    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("v4.0.1", "4.0.1")]
    [InlineData("4.0.1+build.7", "4.0.1")]
    [InlineData("1.0.2K", "1.0.2k")]
    public void Treats_equivalent_spellings_as_equal(string a, string b)
    {
        LibraryVersion.Parse(a).CompareTo(LibraryVersion.Parse(b)).Should().Be(0);
        LibraryVersion.Parse(a).Should().Be(LibraryVersion.Parse(b));
        LibraryVersion.Parse(a).GetHashCode().Should().Be(LibraryVersion.Parse(b).GetHashCode());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1..2")]
    [InlineData("1.0.2 beta")]
    [InlineData("$(MARKETING_VERSION)")]
    public void Rejects_non_versions(string text) => LibraryVersion.TryParse(text, out _).Should().BeFalse();
}
