namespace Mstg.MachO.Format;

/// <summary>
/// Walks the load commands of one slice and records what later stages need: dylibs, sections, build and
/// encryption info, and the ranges of the symbol table, bind info and chained fixups. It reads nothing
/// beyond the header prefix, so the caller can plan all further reads in file order.
/// </summary>
internal sealed class LoadCommandParser
{
    private readonly string _source;
    private readonly long _sliceOffset;
    private readonly long? _sliceSize;
    private readonly string _sliceWord;
    private long _declaredEnd;

    private LoadCommandParser(string source, long sliceOffset, long? sliceSize, bool isFatSlice)
    {
        _source = source;
        _sliceOffset = sliceOffset;
        _sliceSize = sliceSize;
        _sliceWord = isFatSlice ? "slice" : "file";
    }

    /// <param name="prefix">The slice's first <see cref="MachHeader.CommandsEnd"/> bytes.</param>
    public static SliceLayout Parse(MachHeader header, ReadOnlySpan<byte> prefix, string source, long sliceOffset, long? sliceSize, bool isFatSlice)
        => new LoadCommandParser(source, sliceOffset, sliceSize, isFatSlice).Walk(header, prefix);

    private SliceLayout Walk(MachHeader header, ReadOnlySpan<byte> prefix)
    {
        var layout = new SliceLayout
        {
            Is64 = header.Is64, CpuType = header.CpuType, CpuSubtype = header.CpuSubtype,
            FileType = header.KnownFileType, Flags = header.Flags, CommandsEnd = (int)header.CommandsEnd,
        };
        var offset = header.Size;
        var end = (int)header.CommandsEnd;
        for (var i = 0; i < header.CommandCount; i++)
        {
            var at = new LittleEndianFields(prefix, _source, _sliceOffset, "load commands");
            if (offset + 8 > end) throw at.Error(offset, $"load command {i} starts past sizeofcmds (ends at 0x{end:x})");
            var cmd = at.U32(offset);
            var size = at.U32(offset + 4);
            var name = LoadCommandType.NameOf(cmd);
            var owner = $"load command {i} ({name})";
            if (size < 8 || size % 4 != 0)
                throw at.Error(offset + 4, $"{owner} has cmdsize {size}: must be a multiple of 4 and at least 8");
            if (offset + (long)size > end)
                throw at.Error(offset + 4, $"{owner} cmdsize {size} runs past the end of the load commands (0x{end:x})");

            layout.LoadCommands.Add(name);
            _declaredEnd = Math.Max(_declaredEnd, header.CommandsEnd);
            var fields = new LittleEndianFields(prefix.Slice(offset, (int)size), _source, _sliceOffset + offset, owner);
            Interpret(cmd, name, owner, fields, layout);
            offset += (int)size;
        }
        layout.DeclaredEnd = _declaredEnd;
        return layout;
    }

    private void Interpret(uint cmd, string name, string owner, LittleEndianFields f, SliceLayout layout)
    {
        if (LoadCommandType.DylibKindOf(cmd) is { } kind)
        {
            // dylib_command: cmd, cmdsize, name (lc_str offset), timestamp, current_version, compatibility_version
            RequireSize(f, 24, owner);
            var path = f.CString((int)Math.Min(f.U32(8), int.MaxValue), "dylib name");
            layout.Dylibs.Add(new DylibReference(path, kind, DylibVersion(f.U32(16)), DylibVersion(f.U32(20))));
            return;
        }
        switch (cmd)
        {
            case LoadCommandType.IdDylib:
                RequireSize(f, 24, owner);
                layout.InstallName ??= f.CString((int)Math.Min(f.U32(8), int.MaxValue), "install name");
                break;
            case LoadCommandType.Segment64:
                ReadSegment(f, owner, layout, is64: true);
                break;
            case LoadCommandType.Segment:
                ReadSegment(f, owner, layout, is64: false);
                break;
            case LoadCommandType.Symtab:
                // symtab_command: symoff, nsyms, stroff, strsize
                RequireSize(f, 24, owner);
                if (layout.Symtab is not null) throw f.Error(0, $"{owner} is a second LC_SYMTAB");
                layout.Symtab = new SymtabCommand(owner, f.U32(8), f.U32(12), f.U32(16), f.U32(20));
                CheckInSlice(f, 8, f.U32(8), (ulong)f.U32(12) * (ulong)(layout.Is64 ? 16 : 12), owner, "symbol table");
                CheckInSlice(f, 16, f.U32(16), f.U32(20), owner, "string table");
                break;
            case LoadCommandType.DyldInfo or LoadCommandType.DyldInfoOnly:
                // dyld_info_command: rebase, bind, weak_bind, lazy_bind, export (offset, size each)
                RequireSize(f, 48, owner);
                if (layout.DyldInfo is not null) throw f.Error(0, $"{owner} is a second LC_DYLD_INFO");
                Range(f, 8, owner, "rebase info");
                Range(f, 40, owner, "export info");
                layout.DyldInfo = new DyldInfoCommand(owner, name,
                    Range(f, 16, owner, "bind info"), Range(f, 24, owner, "weak bind info"), Range(f, 32, owner, "lazy bind info"));
                break;
            case LoadCommandType.Dysymtab:
                // dysymtab_command: three index/count pairs of symbol ranges, then tocoff, ntoc, modtaboff, nmodtab, extrefsymoff,
                // nextrefsyms, indirectsymoff, nindirectsyms, extreloff, nextrel, locreloff, nlocrel. Only the
                // indirect symbol table (4 bytes per entry) is checked: it is the one every linked image has.
                RequireSize(f, 80, owner);
                CheckInSlice(f, 56, f.U32(56), (ulong)f.U32(60) * 4, owner, "indirect symbol table");
                break;
            case var linkedit when LoadCommandType.IsLinkeditData(linkedit) && linkedit != LoadCommandType.DyldChainedFixups:
                RequireSize(f, 16, owner);
                Range(f, 8, owner, "data");
                break;
            case LoadCommandType.DyldChainedFixups:
                // linkedit_data_command: dataoff, datasize
                RequireSize(f, 16, owner);
                if (layout.ChainedFixups is not null) throw f.Error(0, $"{owner} is a second LC_DYLD_CHAINED_FIXUPS");
                layout.ChainedFixups = Range(f, 8, owner, "chained fixups");
                break;
            case LoadCommandType.EncryptionInfo or LoadCommandType.EncryptionInfo64:
                // encryption_info_command(_64): cryptoff, cryptsize, cryptid (+ pad)
                RequireSize(f, cmd == LoadCommandType.EncryptionInfo64 ? 24 : 20, owner);
                CheckInSlice(f, 8, f.U32(8), f.U32(12), owner, "encrypted range");
                layout.Encryption ??= new EncryptionInfo(f.U32(8), f.U32(12), f.U32(16));
                break;
            case LoadCommandType.BuildVersion:
                // build_version_command: platform, minos, sdk, ntools (tool entries follow)
                RequireSize(f, 24, owner);
                var platform = f.U32(8);
                layout.Build ??= new BuildVersion(Enum.IsDefined(typeof(MachOPlatform), (int)Math.Min(platform, int.MaxValue)) ? (MachOPlatform)platform : MachOPlatform.Unknown,
                    NibbleVersion(f.U32(12)), NibbleVersion(f.U32(16)), name);
                break;
            case LoadCommandType.VersionMinIPhoneOS or LoadCommandType.VersionMinMacOS or LoadCommandType.VersionMinTvOS or LoadCommandType.VersionMinWatchOS:
                // version_min_command: version, sdk
                RequireSize(f, 16, owner);
                var minPlatform = cmd switch
                {
                    LoadCommandType.VersionMinIPhoneOS => MachOPlatform.iOS,
                    LoadCommandType.VersionMinMacOS => MachOPlatform.MacOS,
                    LoadCommandType.VersionMinTvOS => MachOPlatform.tvOS,
                    _ => MachOPlatform.watchOS,
                };
                layout.Build ??= new BuildVersion(minPlatform, NibbleVersion(f.U32(8)), NibbleVersion(f.U32(12)), name);
                break;
        }
    }

    private void ReadSegment(LittleEndianFields f, string owner, SliceLayout layout, bool is64)
    {
        // segment_command_64: segname[16], vmaddr, vmsize, fileoff, filesize (u64), maxprot, initprot, nsects, flags
        // segment_command:    same with u32 address/size fields
        var headerSize = is64 ? 72 : 56;
        var sectionSize = is64 ? 80 : 68;
        RequireSize(f, headerSize, owner);
        var segName = f.FixedName(8, 16);
        ulong fileOff = is64 ? f.U64(40) : f.U32(32);
        ulong fileSize = is64 ? f.U64(48) : f.U32(36);
        var nsects = f.U32(is64 ? 64 : 48);
        if (headerSize + (long)nsects * sectionSize > f.Length)
            throw f.Error(is64 ? 64 : 48, $"{owner} ({segName}) declares {nsects} sections that do not fit in cmdsize {f.Length}");
        CheckInSlice(f, is64 ? 40 : 32, fileOff, fileSize, owner, $"segment {segName}");
        if (fileSize > 0) layout.SegmentsFileEnd = Math.Max(layout.SegmentsFileEnd, (long)(fileOff + fileSize));

        for (var s = 0; s < nsects; s++)
        {
            var at = headerSize + s * sectionSize;
            // section_64: sectname[16], segname[16], addr, size (u64), offset, align, reloff, nreloc, flags, reserved1..3
            // section:    same with u32 addr/size; reserved1..2
            var sectName = f.FixedName(at, 16);
            var sectSeg = f.FixedName(at + 16, 16);
            ulong addr = is64 ? f.U64(at + 32) : f.U32(at + 32);
            ulong size = is64 ? f.U64(at + 40) : f.U32(at + 36);
            var fileOffset = f.U32(at + (is64 ? 48 : 40));
            var flags = f.U32(at + (is64 ? 64 : 56));
            var entry = new SectionEntry(new MachOSection(sectSeg, sectName, addr, size, fileOffset), flags, owner);
            if (entry.HasFileData && fileOffset != 0)
                CheckInSlice(f, at + (is64 ? 48 : 40), fileOffset, size, owner, $"section {sectSeg},{sectName}");
            layout.Sections.Add(entry);
        }
    }

    private SliceRange Range(LittleEndianFields f, int at, string owner, string part)
    {
        var offset = f.U32(at);
        var size = f.U32(at + 4);
        CheckInSlice(f, at, offset, size, owner, part);
        return new SliceRange(size == 0 ? 0 : offset, size, owner, part);
    }

    /// <summary>Refuses a range past the slice end when the length is known; forward-only input is checked when the range is read.</summary>
    private void CheckInSlice(LittleEndianFields f, int fieldAt, ulong offset, ulong size, string owner, string part)
    {
        if (size == 0) return;
        // Remembered so forward-only input, whose length is learnt only at its end, can be checked afterwards.
        _declaredEnd = Math.Max(_declaredEnd, offset + size is var end && end >= offset && end < long.MaxValue / 2 ? (long)end : long.MaxValue / 2);
        if (_sliceSize is not { } sliceSize) return;
        if (offset > (ulong)sliceSize || size > (ulong)sliceSize - offset)
            throw f.Error(fieldAt, $"{owner} {part} (0x{offset:x}+0x{size:x}) points past end of {_sliceWord} (0x{sliceSize:x} bytes)");
    }

    private static void RequireSize(LittleEndianFields f, int size, string owner)
    {
        if (f.Length < size) throw f.Error(4, $"{owner} cmdsize {f.Length} is smaller than its {size}-byte structure");
    }

    /// <summary>Dylib versions pack X.Y.Z as xxxx.yy.zz (16.8.8 bits).</summary>
    private static string DylibVersion(uint v) => $"{v >> 16}.{(v >> 8) & 0xFF}.{v & 0xFF}";

    /// <summary>
    /// OS versions in LC_BUILD_VERSION / LC_VERSION_MIN_* use the same xxxx.yy.zz packing. A zero patch is left
    /// out, as llvm-objdump and Info.plist's MinimumOSVersion write it ("15.0", but "15.0.1").
    /// </summary>
    private static Version NibbleVersion(uint v)
    {
        int major = (int)(v >> 16), minor = (int)((v >> 8) & 0xFF), patch = (int)(v & 0xFF);
        return patch == 0 ? new Version(major, minor) : new Version(major, minor, patch);
    }
}
