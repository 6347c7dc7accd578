using System.Text.RegularExpressions;
using Mstg.Fixtures.Toolchain;

namespace Mstg.MachO.Tests;

/// <summary>
/// The reader on string sections far larger than the old limits (500,000 strings, 64 MiB per range): real clang +
/// ld64.lld binaries whose last string is a trust-bypass selector. Under the old limits that selector was cut off.
/// </summary>
public class ManyStringsTests
{
    [Fact]
    public void Selector_after_600k_strings_is_read()
    {
        var image = MachOReader.ReadFile(ManyStringsBinaries.AfterManyStrings).Images.Single();

        image.Warnings.Should().BeEmpty();
        image.Strings.Count.Should().Be(ManyStringsBinaries.FillerCount + 1);
        image.Strings[^1].Value.Should().Be(ManyStringsBinaries.BypassSelector, "the selector is the last string of __cstring");
        image.Strings.Find(ManyStringsBinaries.BypassSelector).Should().NotBeNull();
        image.Strings[123_456].Value.Should().Be("FillerController00123456.loadViewWithOptions:");
    }

    [Fact]
    public void Selector_at_the_end_of_a_66_MiB_cstring_is_read_from_a_forward_only_stream()
    {
        using var file = File.OpenRead(ManyStringsBinaries.AfterLargeSection);
        using var forward = new Support.ForwardOnlyStream(file);
        var image = MachOReader.Read(forward, "Large").Images.Single();

        image.Warnings.Should().BeEmpty();
        image.Sections.Single(s => s.Name == "__cstring").Size.Should().BeGreaterThan((ulong)ManyStringsBinaries.LargeSectionBytes);
        image.Strings.Count.Should().BeGreaterThan(1_400_000);
        var selector = image.Strings.Find(ManyStringsBinaries.BypassSelector);
        selector.Should().NotBeNull();
        selector!.Offset.Should().BeGreaterThan((ulong)ManyStringsBinaries.LargeSectionBytes);
    }

    [Fact]
    public void The_old_limits_cut_the_selector_off_with_a_warning_of_each_kind()
    {
        var counted = MachOReader.ReadFile(ManyStringsBinaries.AfterManyStrings, new MachOReadOptions { MaxStrings = 500_000 }).Images.Single();
        counted.Strings.Contains(ManyStringsBinaries.BypassSelector).Should().BeFalse();
        counted.Warnings.Should().ContainSingle().Which.Kind.Should().Be(MachOWarningKind.StringLimit);

        var ranged = MachOReader.ReadFile(ManyStringsBinaries.AfterLargeSection, new MachOReadOptions { MaxRangeBytes = 64 * 1024 * 1024 }).Images.Single();
        ranged.Strings.Contains(ManyStringsBinaries.BypassSelector).Should().BeFalse();
        ranged.Warnings.Select(w => w.Kind).Should().Contain(MachOWarningKind.StringSectionTruncated);
    }
}

/// <summary>Every warning kind is emitted by the reader and says which option, if any, caused it.</summary>
public class WarningKindTests
{
    [Fact]
    public void Every_warning_kind_is_emitted_somewhere_in_the_reader()
    {
        var source = string.Join("\n", Directory.EnumerateFiles(Path.Combine(Fixtures.RepositoryLayout.Root, "src", "Mstg.MachO"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("MachOWarning.cs", StringComparison.Ordinal)).Select(File.ReadAllText));
        var used = Regex.Matches(source, @"MachOWarningKind\.(\w+)").Select(m => m.Groups[1].Value).ToHashSet();

        used.Should().BeEquivalentTo(Enum.GetNames<MachOWarningKind>(), "a kind nobody emits is dead, and an emitted kind must be declared");
        // A warning can only be made with a kind: no stringly-typed warnings left.
        source.Should().NotMatchRegex(@"[Ww]arnings\.Add\(\$?""");
    }

    [Theory]
    [InlineData(MachOWarningKind.StringLimit, nameof(MachOReadOptions.MaxStrings))]
    [InlineData(MachOWarningKind.StringCut, nameof(MachOReadOptions.MaxStringLength))]
    [InlineData(MachOWarningKind.StringSectionTruncated, nameof(MachOReadOptions.MaxRangeBytes))]
    [InlineData(MachOWarningKind.RangeTooLarge, nameof(MachOReadOptions.MaxRangeBytes))]
    [InlineData(MachOWarningKind.ReadBudgetSpent, nameof(MachOReadOptions.MaxBytesPerSlice))]
    [InlineData(MachOWarningKind.SymbolLimit, nameof(MachOReadOptions.MaxSymbols))]
    [InlineData(MachOWarningKind.ChainedImportLimit, nameof(MachOReadOptions.MaxSymbols))]
    public void Limit_warnings_name_their_option(MachOWarningKind kind, string option) =>
        new MachOWarning(kind, "x").Limit.Should().Be(option);
}
