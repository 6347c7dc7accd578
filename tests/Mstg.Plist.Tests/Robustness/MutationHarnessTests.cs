using Xunit.Sdk;

namespace Mstg.Plist.Tests.Robustness;

/// <summary>The mutation harness must be able to fail: a reader that leaks another exception type is caught.</summary>
public class MutationHarnessTests
{
    [Fact]
    public void Harness_reports_an_exception_that_is_not_a_PlistFormatException()
    {
        var harness = new MutationHarness("leaky", (bytes, source) =>
            bytes[0] == 1 ? throw new IndexOutOfRangeException("boom")
            : throw new PlistFormatException(source, PlistPosition.AtByte(0), "bad"));
        harness.Check([0], "clean rejection");
        harness.Check([1], "leaks");

        var act = () => harness.AssertClean(2);
        act.Should().Throw<XunitException>().WithMessage("*1 of 2 leaky mutants failed*leaks: IndexOutOfRangeException: boom*");
    }

    [Fact]
    public void Harness_passes_a_reader_that_only_rejects_with_PlistFormatException()
    {
        var harness = new MutationHarness("tidy", (_, source) => throw new PlistFormatException(source, PlistPosition.AtByte(3), "bad"));
        harness.Check([0], "one");
        harness.AssertClean(1);
        harness.Rejected.Should().Be(1);
    }
}
