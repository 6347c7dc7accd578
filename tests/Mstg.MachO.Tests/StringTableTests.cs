using Mstg.MachO.Tests.Support;

namespace Mstg.MachO.Tests;

/// <summary>The compact string table answers like the list of strings it replaces.</summary>
public class StringTableTests
{
    [Fact]
    public void Lookup_finds_the_first_of_equal_strings_and_nothing_else()
    {
        MachOStringTable table =
        [
            new("alpha", "__TEXT,__cstring", 0), new("beta", "__TEXT,__cstring", 6),
            new("alpha", "__TEXT,__objc_methname", 0), new("\u00fcber", "__TEXT,__ustring", 2),
        ];

        table.Count.Should().Be(4);
        table.Find("alpha").Should().Be(new MachOString("alpha", "__TEXT,__cstring", 0));
        table.Find("\u00fcber").Should().Be(new MachOString("\u00fcber", "__TEXT,__ustring", 2));
        table.Contains("gamma").Should().BeFalse();
        table.Contains("alph").Should().BeFalse();
        table.IndexOf("beta").Should().Be(1);
        table[2].Section.Should().Be("__TEXT,__objc_methname");
        table.Should().HaveCount(4).And.Contain(new MachOString("beta", "__TEXT,__cstring", 6));
        MachOStringTable.Empty.Find("alpha").Should().BeNull();
        var outside = () => table[4];
        outside.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Filters_decode_only_what_passes()
    {
        MachOStringTable table = [new("http://a.example", "S", 0), new("plain", "S", 17), new("https://b.example", "T", 0)];

        table.Where(static u => u.IndexOf("://"u8) >= 0).Select(s => s.Value).Should().Equal("http://a.example", "https://b.example");
        table.WhereText(static t => t.StartsWith("pl")).Select(s => s.Offset).Should().Equal(17UL);
        table.InSections(s => s == "T").Select(s => s.Value).Should().Equal("https://b.example");
    }

    [Fact]
    public void Real_binary_strings_keep_their_sections_and_offsets()
    {
        var image = MachOReader.Read(TestBinaries.Arm64, "App").Images[0];

        var url = image.Strings.Find(TestBinaries.InsecureUrl)!;
        image.Strings.Single(s => s.Value == TestBinaries.InsecureUrl).Should().Be(url);
        var utf16 = image.Strings.Find(TestBinaries.Utf16String)!;
        utf16.Section.Should().EndWith(",__ustring");
        utf16.Offset.Should().Be(0);
        image.Strings.Select((s, i) => image.Strings.IndexOf(s.Value) <= i).Should().OnlyContain(first => first);
    }
}
