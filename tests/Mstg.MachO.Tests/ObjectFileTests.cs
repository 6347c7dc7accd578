using Mstg.Fixtures.Toolchain;
using Mstg.MachO.Tests.Support;

namespace Mstg.MachO.Tests;

/// <summary>Unlinked objects from clang-14: the 32-bit layout (mach_header, LC_SEGMENT, section, nlist) on armv7, and ObjC name sections.</summary>
public class ObjectFileTests
{
    [Fact]
    public void Armv7_object_is_read_as_32_bit_with_symbols_and_strings()
    {
        var bytes = ObjectFiles.ArmV7;
        BitConverter.ToUInt32(bytes, 0).Should().Be(0xFEEDFACE);
        var image = MachOReader.Read(bytes, "a.o").Images.Single();

        image.Architecture.Should().Be("armv7").And.Be(Oracle.Architectures(bytes).Single());
        image.FileType.Should().Be(MachOFileType.Object);
        image.LoadCommands.Should().Equal(Oracle.LoadCommands(bytes).Select(c => c["cmd"]));
        image.LoadCommands.Should().Contain("LC_SEGMENT").And.NotContain("LC_SEGMENT_64");
        image.Symbols.Where(s => s.IsUndefined && s.IsExternal).Select(s => s.Name).Should().BeEquivalentTo(Oracle.UndefinedSymbols(bytes));
        image.Imports.Select(i => i.Name).Should().BeEquivalentTo(Oracle.UndefinedSymbols(bytes));
        image.Imports.Should().OnlyContain(i => i.Library == null && i.Origin == "LC_SYMTAB");
        image.Symbols.Should().Contain(s => s.Name == "_main" && !s.IsUndefined);
        image.Strings.Should().Contain(s => s.Value == "http://armv7.example.com/legacy" && s.Section == "__TEXT,__cstring");
        image.Build!.MinOs.Should().Be(new Version(10, 0));
    }

    [Fact]
    public void Objc_object_keeps_method_and_class_names_in_their_own_sections()
    {
        var image = MachOReader.Read(ObjectFiles.Objc, "app.o").Images.Single();
        image.Sections.Select(s => s.FullName).Should().Contain(["__TEXT,__objc_methname", "__TEXT,__objc_classname", "__TEXT,__cstring"]);
        image.Strings.Should().Contain(s => s.Value == TestBinaries.Selector && s.Section == "__TEXT,__objc_methname");
        image.Strings.Should().Contain(s => s.Value == TestBinaries.ObjcMethod && s.Section == "__TEXT,__objc_methname");
        image.Strings.Should().Contain(s => s.Value == "Pinner" && s.Section == "__TEXT,__objc_classname");
        image.Strings.Should().Contain(s => s.Value == TestBinaries.InsecureUrl && s.Section == "__TEXT,__cstring");
        image.Strings.Should().NotContain(s => s.Section == "__TEXT,__text", "code is not a string section");
    }

    [Fact]
    public void Fat_of_armv7_and_arm64_objects_reads_both_widths()
    {
        var fat = ClangToolchain.Instance.Fat(ObjectFiles.ArmV7, ObjectFiles.Arm64);
        var file = MachOReader.Read(fat, "fat.o");
        file.IsFat.Should().BeTrue();
        file.Images.Select(i => i.Architecture).Should().Equal(Oracle.Architectures(fat));
        file.Images.Should().OnlyContain(i => i.Strings.Any(s => s.Value == "http://armv7.example.com/legacy"));
        file.Primary!.Architecture.Should().Be("arm64");
    }
}
