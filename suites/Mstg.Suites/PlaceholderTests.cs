namespace Mstg.Suites;

public class PlaceholderTests
{
    [Fact]
    public void Builds() => Assert.True(true);
}
