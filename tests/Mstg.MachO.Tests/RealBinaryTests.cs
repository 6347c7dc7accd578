using System.Text;
using Mstg.MachO.Tests.Support;

namespace Mstg.MachO.Tests;

/// <summary>Real clang/lld binaries, each fact checked against llvm-objdump-14 / llvm-nm-14 output.</summary>
public class RealBinaryTests
{
    private static MachOImage ReadThin(byte[] bytes, string name = "App")
    {
        var file = MachOReader.Read(bytes, name);
        file.IsFat.Should().BeFalse();
        file.Images.Should().ContainSingle();
        return file.Images[0];
    }

    /// <summary>objdump prints a dylib by short name, "flat-namespace" for dynamic lookup.</summary>
    private static string OracleDylibName(ImportedSymbol import) =>
        import.Library is null ? "flat-namespace" : new DylibReference(import.Library, DylibKind.Load, "", "").Name;

    [Theory]
    [InlineData("arm64")]
    [InlineData("x86_64")]
    public void Imports_match_the_bind_tables_and_undefined_symbols_of_llvm_tools(string arch)
    {
        var bytes = arch == "arm64" ? TestBinaries.Arm64 : TestBinaries.X86_64;
        var image = ReadThin(bytes);

        image.Architecture.Should().Be(arch).And.Be(Oracle.Architectures(bytes).Single());
        var (binds, weakBinds, weakImports) = Oracle.Binds(bytes);
        binds.Should().NotBeEmpty();
        var fromDyldInfo = image.Imports.Where(i => i.Origin == "LC_DYLD_INFO").ToList();
        fromDyldInfo.Select(i => (i.Name, OracleDylibName(i))).ToHashSet()
            .Should().BeEquivalentTo(binds.Concat(weakBinds.Select(w => (w, "flat-namespace"))));
        fromDyldInfo.Where(i => i.IsWeak).Select(i => i.Name).ToHashSet().Should().BeEquivalentTo(weakImports).And.Contain("_OptionalFeature");

        var undefined = Oracle.UndefinedSymbols(bytes);
        image.Symbols.Where(s => s.IsUndefined && s.IsExternal).Select(s => s.Name).ToHashSet().Should().BeEquivalentTo(undefined);
        image.Imports.Select(i => i.Name).Should().Contain(undefined);
    }

    [Fact]
    public void Imports_name_the_dylib_each_symbol_comes_from()
    {
        var image = ReadThin(TestBinaries.Arm64);
        Library("_SecTrustEvaluateWithError").Should().Be("/System/Library/Frameworks/Security.framework/Security");
        Library("_socket").Should().Be("/usr/lib/libSystem.B.dylib");
        Library("_AFPinningEvaluate").Should().Be(TestBinaries.PinningFramework);
        Library("_OptionalFeature").Should().Be(TestBinaries.OptionalFramework);
        image.Imports.Single(i => i.Name == "_OptionalFeature" && i.Origin == "LC_DYLD_INFO").IsWeak.Should().BeTrue();
        image.Imports.Single(i => i.Name == "_socket" && i.Origin == "LC_DYLD_INFO").IsWeak.Should().BeFalse();
        image.Warnings.Should().BeEmpty();

        string? Library(string name) => image.Imports.First(i => i.Name == name).Library;
    }

    [Theory]
    [InlineData("arm64")]
    [InlineData("x86_64")]
    public void Dylibs_and_load_commands_match_objdump(string arch)
    {
        var bytes = arch == "arm64" ? TestBinaries.Arm64 : TestBinaries.X86_64;
        var image = ReadThin(bytes);

        image.Dylibs.Select(d => d.Path).Should().Equal(Oracle.DylibsUsed(bytes));
        image.LoadCommands.Should().Equal(Oracle.LoadCommands(bytes).Select(c => c["cmd"]));
        image.LoadCommands.Should().Contain(["LC_DYLD_INFO_ONLY", "LC_SYMTAB", "LC_DYSYMTAB", "LC_BUILD_VERSION", "LC_MAIN", "LC_LOAD_DYLIB"]);
        // lld writes LC_ENCRYPTION_INFO_64 for device builds only, as Xcode does.
        image.LoadCommands.Contains("LC_ENCRYPTION_INFO_64").Should().Be(arch == "arm64");
        (image.Encryption is not null).Should().Be(arch == "arm64");
        image.FileType.Should().Be(MachOFileType.Execute);
        image.SliceOffset.Should().Be(0);
        image.SliceSize.Should().Be(bytes.Length);
    }

    [Fact]
    public void Weakly_linked_framework_is_a_weak_dylib_and_a_normal_one_is_not()
    {
        var image = ReadThin(TestBinaries.Arm64);
        image.Dylibs.Single(d => d.Path == TestBinaries.OptionalFramework).Kind.Should().Be(DylibKind.Weak);
        image.Dylibs.Single(d => d.Path == TestBinaries.PinningFramework).Kind.Should().Be(DylibKind.Load);
        image.Dylibs.Single(d => d.Path == TestBinaries.PinningFramework).Name.Should().Be("AFNetworking");
        image.LoadCommands.Should().Contain("LC_LOAD_WEAK_DYLIB");
        var versions = Oracle.LoadCommands(TestBinaries.Arm64).First(c => c.GetValueOrDefault("name", "").StartsWith(TestBinaries.PinningFramework));
        versions["current"].Should().Be("version " + image.Dylibs.Single(d => d.Path == TestBinaries.PinningFramework).CurrentVersion);
    }

    [Fact]
    public void Build_version_and_encryption_match_private_headers()
    {
        var image = ReadThin(TestBinaries.Arm64);
        var commands = Oracle.LoadCommands(TestBinaries.Arm64);
        var build = commands.Single(c => c["cmd"] == "LC_BUILD_VERSION");
        var encryption = commands.Single(c => c["cmd"] == "LC_ENCRYPTION_INFO_64");

        image.Build.Should().NotBeNull();
        image.Build!.LoadCommand.Should().Be("LC_BUILD_VERSION");
        image.Build.Platform.Should().Be(MachOPlatform.iOS);
        build["platform"].Should().Be("ios");
        image.Build.MinOs.Should().Be(new Version(build["minos"]));
        image.Build.Sdk.Should().Be(new Version(build["sdk"]));
        image.Build.MinOs.Should().Be(new Version(15, 0));

        image.Encryption.Should().Be(new EncryptionInfo(uint.Parse(encryption["cryptoff"]), uint.Parse(encryption["cryptsize"]), uint.Parse(encryption["cryptid"])));
        image.IsEncrypted.Should().BeFalse();
        image.StringsUnavailable.Should().BeFalse();
    }

    [Theory]
    [InlineData(0x80000002u, "arm64e")]
    [InlineData(0x00000002u, "arm64e")]
    [InlineData(0x00000000u, "arm64")]
    public void Arm64e_subtype_is_named_like_lipo_names_it(uint subtype, string expected)
    {
        // lld-14 cannot produce a real arm64e image (it writes subtype ALL), so the subtype is patched in.
        var bytes = (byte[])TestBinaries.Arm64.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), subtype);
        var image = ReadThin(bytes);
        image.Architecture.Should().Be(expected).And.Be(Oracle.Architectures(bytes).Single());
        image.CpuSubtype.Should().Be(subtype);
    }

    [Fact]
    public void Simulator_slice_reports_the_simulator_platform()
    {
        ReadThin(TestBinaries.X86_64).Build!.Platform.Should().Be(MachOPlatform.iOSSimulator);
        ReadThin(TestBinaries.Arm64).Build!.Platform.Should().NotBe(MachOPlatform.iOSSimulator);
    }

    [Fact]
    public void Old_deployment_target_uses_version_min_iphoneos()
    {
        var image = ReadThin(TestBinaries.OldSdk);
        image.LoadCommands.Should().Contain("LC_VERSION_MIN_IPHONEOS").And.NotContain("LC_BUILD_VERSION");
        var oracle = Oracle.LoadCommands(TestBinaries.OldSdk).Single(c => c["cmd"] == "LC_VERSION_MIN_IPHONEOS");
        image.Build.Should().Be(new BuildVersion(MachOPlatform.iOS, new Version(8, 0), new Version(8, 0), "LC_VERSION_MIN_IPHONEOS"));
        oracle["version"].Should().Be("8.0");
        oracle["sdk"].Should().Be("8.0");
    }

    [Fact]
    public void Dylib_reports_its_install_name_and_type()
    {
        var image = ReadThin(TestBinaries.Dylib);
        image.FileType.Should().Be(MachOFileType.Dylib);
        image.InstallName.Should().Be("@rpath/Pinning.framework/Pinning");
        image.LoadCommands.Should().Contain("LC_ID_DYLIB");
        // --dylibs-used lists the LC_ID_DYLIB too; the image's own name is not a dependency.
        image.Dylibs.Select(d => d.Path).Should().Equal(Oracle.DylibsUsed(TestBinaries.Dylib).Where(p => p != image.InstallName));
        image.Strings.Select(s => s.Value).Should().Contain("http://framework.example.com/v1");
        ReadThin(TestBinaries.Arm64).InstallName.Should().BeNull();
    }

    [Fact]
    public void Strings_come_from_cstring_reflstr_and_ustring_with_correct_offsets()
    {
        var bytes = TestBinaries.Arm64;
        var image = ReadThin(bytes);

        Find(TestBinaries.InsecureUrl).Section.Should().Be("__TEXT,__cstring");
        Find(TestBinaries.Selector).Section.Should().Be("__TEXT,__cstring"); // lld-14 merges __objc_methname into __cstring
        Find(TestBinaries.ObjcMethod).Section.Should().Be("__TEXT,__cstring");
        Find(TestBinaries.ReflectionString).Section.Should().Be("__TEXT,__swift5_reflstr");
        Find("sessionDelegate").Section.Should().Be("__TEXT,__swift5_reflstr");
        Find(TestBinaries.Utf16String).Section.Should().Be("__TEXT,__ustring");

        // Offsets point at the string's bytes inside its section.
        foreach (var s in image.Strings)
        {
            var section = image.Sections.Single(x => x.FullName == s.Section);
            var at = (int)(section.FileOffset + s.Offset);
            var encoding = s.Section.EndsWith("__ustring") ? Encoding.Unicode : Encoding.UTF8;
            encoding.GetString(bytes, at, encoding.GetByteCount(s.Value)).Should().Be(s.Value);
        }
        // Short and non-printable pieces are dropped.
        image.Strings.Should().OnlyContain(s => s.Value.Length >= 4);

        MachOString Find(string value) => image.Strings.First(s => s.Value == value);
    }

    [Fact]
    public void Strings_can_be_switched_off_and_the_minimum_length_is_honoured()
    {
        MachOReader.Read(TestBinaries.Arm64, "App", new MachOReadOptions { CollectStrings = false }).Images[0].Strings.Should().BeEmpty();
        var longOnly = MachOReader.Read(TestBinaries.Arm64, "App", new MachOReadOptions { MinStringLength = 25 }).Images[0].Strings;
        longOnly.Should().Contain(s => s.Value == TestBinaries.InsecureUrl).And.OnlyContain(s => s.Value.Length >= 25);
    }

    [Fact]
    public void Encrypted_image_keeps_imports_but_marks_strings_unavailable()
    {
        var plain = ReadThin(TestBinaries.Arm64);
        var encrypted = ReadThin(TestBinaries.Encrypted);

        encrypted.IsEncrypted.Should().BeTrue();
        encrypted.Encryption!.CryptId.Should().Be(1);
        Oracle.LoadCommands(TestBinaries.Encrypted).Single(c => c["cmd"] == "LC_ENCRYPTION_INFO_64")["cryptid"].Should().Be("1");
        encrypted.StringsUnavailable.Should().BeTrue();
        encrypted.Strings.Select(s => s.Value).Should().NotContain(TestBinaries.InsecureUrl);
        encrypted.Warnings.Should().Contain(w => w.Message.Contains("FairPlay-encrypted"));
        encrypted.Imports.Should().BeEquivalentTo(plain.Imports);
        encrypted.Dylibs.Should().BeEquivalentTo(plain.Dylibs);
        plain.Strings.Select(s => s.Value).Should().Contain(TestBinaries.InsecureUrl);
    }

    [Fact]
    public void Fat_file_yields_both_slices_equal_to_the_thin_files()
    {
        var file = MachOReader.Read(TestBinaries.Fat, "Fat");
        file.IsFat.Should().BeTrue();
        file.Images.Select(i => i.Architecture).Should().BeEquivalentTo(["arm64", "x86_64"]);
        file.Primary!.Architecture.Should().Be("arm64");

        foreach (var (arch, thin) in new[] { ("arm64", TestBinaries.Arm64), ("x86_64", TestBinaries.X86_64) })
        {
            var slice = file.Images.Single(i => i.Architecture == arch);
            var alone = ReadThin(thin);
            slice.SliceSize.Should().Be(thin.Length);
            TestBinaries.Fat.AsSpan((int)slice.SliceOffset, thin.Length).SequenceEqual(thin).Should().BeTrue();
            slice.Imports.Should().BeEquivalentTo(alone.Imports);
            slice.Strings.Should().BeEquivalentTo(alone.Strings);
            slice.Dylibs.Select(d => d.Path).Should().Equal(Oracle.DylibsUsed(TestBinaries.Fat, arch));
            slice.Imports.Where(i => i.Origin == "LC_DYLD_INFO").Select(i => (i.Name, OracleDylibName(i))).Should().Contain(Oracle.Binds(TestBinaries.Fat, arch).Binds);
        }
    }

    [Fact]
    public void Architecture_filter_reads_only_the_chosen_slices()
    {
        var only = MachOReader.Read(TestBinaries.Fat, "Fat", new MachOReadOptions { Architectures = new HashSet<string> { "x86_64" } });
        only.Images.Should().ContainSingle().Which.Architecture.Should().Be("x86_64");
        MachOReader.Read(TestBinaries.Arm64, "App", new MachOReadOptions { Architectures = new HashSet<string> { "x86_64" } }).Images.Should().BeEmpty();
    }

    [Fact]
    public void ReadFile_reads_from_disk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mstg-readfile-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, TestBinaries.Arm64);
        try
        {
            var file = MachOReader.ReadFile(path);
            file.Source.Should().Be(path);
            file.Images[0].Imports.Should().BeEquivalentTo(ReadThin(TestBinaries.Arm64).Imports);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
