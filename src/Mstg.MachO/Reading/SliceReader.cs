using Mstg.MachO.Format;
using Mstg.MachO.Imports;
using Mstg.MachO.IO;
using Mstg.MachO.Strings;

namespace Mstg.MachO.Reading;

/// <summary>Reads one Mach-O image (a thin file, or one slice of a fat file) into a <see cref="MachOImage"/>.</summary>
internal sealed class SliceReader
{
    private readonly ByteSource _input;
    private readonly long _sliceOffset;
    private readonly long? _sliceSize;
    private readonly bool _isFatSlice;
    private readonly MachOReadOptions _options;
    private string Source => _input.Source;

    private SliceReader(ByteSource input, long sliceOffset, long? sliceSize, bool isFatSlice, MachOReadOptions options)
    {
        _input = input;
        _sliceOffset = sliceOffset;
        _sliceSize = sliceSize;
        _isFatSlice = isFatSlice;
        _options = options;
    }

    /// <summary>Reads the image whose header was already read (by <see cref="ReadHeader"/> or from the file head).</summary>
    public static MachOImage Read(ByteSource input, long sliceOffset, long? sliceSize, bool isFatSlice, MachOReadOptions options, MachHeader header, ReadOnlyMemory<byte> headerBytes)
        => new SliceReader(input, sliceOffset, sliceSize, isFatSlice, options).ReadImage(header, headerBytes);

    /// <summary>The mach header of the slice at <paramref name="sliceOffset"/> and its raw bytes.</summary>
    public static (MachHeader Header, ReadOnlyMemory<byte> Bytes) ReadHeader(ByteSource input, long sliceOffset, long? sliceSize, MachOReadOptions options)
    {
        var what = sliceOffset == 0 ? "Mach-O header" : $"Mach-O header of the slice at 0x{sliceOffset:x}";
        if (sliceSize is < 28) throw new MachOFormatException(input.Source, sliceOffset, $"{what}: the slice is only {sliceSize} bytes");
        var first = input.Read(sliceOffset, 28, what);
        var magic = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(first.Span);
        var bytes = first;
        if (magic == MachHeader.Magic64)
        {
            var rest = input.Read(sliceOffset + 28, 4, what);
            var whole = new byte[32];
            first.Span.CopyTo(whole);
            rest.Span.CopyTo(whole.AsSpan(28));
            bytes = whole;
        }
        return (MachHeader.Parse(bytes.Span, input.Source, sliceOffset, sliceSize, options), bytes);
    }

    /// <summary>Request ids of the ranges one image needs (null when absent, empty or over a limit).</summary>
    private sealed record PlannedReads(int? Symbols, int? SymbolNames, int? Bind, int? WeakBind, int? LazyBind, int? ChainedFixups,
        List<(MachOSection Section, int? Id)> StringSections, bool StringsUnavailable);

    private MachOImage ReadImage(MachHeader header, ReadOnlyMemory<byte> headerBytes)
    {
        var prefix = ReadPrefix(header, headerBytes);
        var layout = LoadCommandParser.Parse(header, prefix.Span, Source, _sliceOffset, _sliceSize, _isFatSlice);
        var plan = new RangePlan(_sliceOffset, prefix, _options, layout.Warnings);

        // Plan every read first, then read in file order, then interpret.
        var reads = PlanReads(layout, plan);
        var furthestRead = plan.Execute(_input);
        if (_sliceSize is null) ConfirmDeclaredEnd(header, prefix, layout);
        var (imports, symbols) = ReadImports(layout, plan, reads);

        return new MachOImage
        {
            Architecture = CpuNames.Of(layout.CpuType, layout.CpuSubtype),
            CpuType = layout.CpuType,
            CpuSubtype = layout.CpuSubtype,
            FileType = layout.FileType,
            SliceOffset = _sliceOffset,
            SliceSize = _sliceSize ?? Math.Max(Math.Max(layout.SegmentsFileEnd, layout.CommandsEnd), furthestRead),
            Dylibs = layout.Dylibs,
            InstallName = layout.InstallName,
            Encryption = layout.Encryption,
            Build = layout.Build,
            Symbols = symbols,
            Imports = imports,
            Sections = layout.Sections.Select(e => e.Section).ToList(),
            Strings = CollectStrings(plan, reads, layout.Warnings),
            LoadCommands = layout.LoadCommands,
            StringsUnavailable = reads.StringsUnavailable,
            Warnings = layout.Warnings,
        };
    }

    private PlannedReads PlanReads(SliceLayout layout, RangePlan plan)
    {
        int? symbols = null, names = null, bind = null, weakBind = null, lazyBind = null, chained = null;
        if (layout.Symtab is { } symtab)
        {
            var count = symtab.SymbolCount;
            if (count > _options.MaxSymbols)
            {
                layout.Warnings.Add(new(MachOWarningKind.SymbolLimit, $"{symtab.Owner}: {count} symbols exceed the limit of {_options.MaxSymbols}; the rest were skipped"));
                count = (uint)_options.MaxSymbols;
            }
            symbols = plan.RequestWhole(new SliceRange(symtab.SymbolOffset, (long)count * SymbolTableReader.EntrySize(layout.Is64), symtab.Owner, "symbol table"));
            if (symbols is not null)
                names = plan.RequestWhole(new SliceRange(symtab.StringOffset, symtab.StringSize, symtab.Owner, "string table"));
        }
        if (layout.DyldInfo is { } dyldInfo)
        {
            bind = plan.RequestWhole(dyldInfo.Bind);
            weakBind = plan.RequestWhole(dyldInfo.WeakBind);
            lazyBind = plan.RequestWhole(dyldInfo.LazyBind);
        }
        if (layout.ChainedFixups is { } fixups) chained = plan.RequestWhole(fixups);

        var stringSections = new List<(MachOSection Section, int? Id)>();
        var stringsUnavailable = false;
        if (_options.CollectStrings)
        {
            foreach (var entry in layout.Sections.Where(SectionStrings.IsStringSection))
            {
                if (IsInsideEncryptedRange(layout.Encryption, entry.Section))
                {
                    stringsUnavailable = true;
                    continue;
                }
                var size = (long)Math.Min(entry.Section.Size, long.MaxValue / 2);
                stringSections.Add((entry.Section, plan.RequestTruncatable(new SliceRange(entry.Section.FileOffset, size, entry.Owner, $"section {entry.Section.FullName}"))));
            }
        }
        if (stringsUnavailable && layout.Encryption is { } e)
            layout.Warnings.Add(new(MachOWarningKind.EncryptedStrings, $"image is FairPlay-encrypted (cryptid {e.CryptId}); string sections inside bytes 0x{e.CryptOffset:x}..0x{(long)e.CryptOffset + e.CryptSize:x} are ciphertext and were not read"));
        return new PlannedReads(symbols, names, bind, weakBind, lazyBind, chained, stringSections, stringsUnavailable);
    }

    /// <summary>Fixup structures first, so their (richer) origin wins over LC_SYMTAB for the same symbol.</summary>
    private (IReadOnlyList<ImportedSymbol> Imports, IReadOnlyList<MachOSymbol> Symbols) ReadImports(SliceLayout layout, RangePlan plan, PlannedReads reads)
    {
        var warnings = layout.Warnings;
        var ordinals = new LibraryOrdinals(layout.Dylibs, warnings);
        var imports = new ImportCollector();
        if (plan.Result(reads.ChainedFixups) is { } chainedBytes && layout.ChainedFixups is { } fixups)
        {
            foreach (var import in ChainedFixupsReader.Read(chainedBytes.Span, Source, _sliceOffset + fixups.Offset, fixups.Owner, _options.MaxSymbols, warnings))
                imports.Add(new ImportedSymbol(import.Name, ordinals.Resolve(import.Ordinal, import.Name, fixups.Owner), import.WeakImport, "LC_DYLD_CHAINED_FIXUPS")
                    { LibraryOrdinal = import.Ordinal });
        }
        if (layout.DyldInfo is { } info)
        {
            AddBound(plan.Result(reads.Bind), info.Bind, lazy: false);
            AddBound(plan.Result(reads.LazyBind), info.LazyBind, lazy: true);
            // Weak binding coalesces weak definitions across images by name (flat lookup); strong definitions
            // (BIND_SYMBOL_FLAGS_NON_WEAK_DEFINITION) are this image's own and are not imports.
            if (plan.Result(reads.WeakBind) is { } weakBytes)
                foreach (var bound in BindOpcodeReader.Read(weakBytes.Span, false, Source, _sliceOffset + info.WeakBind.Offset, info.WeakBind.Describe))
                    if (!bound.NonWeakDefinition && !imports.HasName(bound.Name))
                        imports.Add(new ImportedSymbol(bound.Name, null, false, "LC_DYLD_INFO") { LibraryOrdinal = LibraryOrdinals.WeakLookup });

            void AddBound(ReadOnlyMemory<byte>? bytes, SliceRange range, bool lazy)
            {
                if (bytes is not { } b) return;
                foreach (var bound in BindOpcodeReader.Read(b.Span, lazy, Source, _sliceOffset + range.Offset, range.Describe))
                    imports.Add(new ImportedSymbol(bound.Name, ordinals.Resolve(bound.Ordinal, bound.Name, info.Owner), bound.WeakImport, "LC_DYLD_INFO")
                        { LibraryOrdinal = bound.Ordinal });
            }
        }
        IReadOnlyList<MachOSymbol> symbols = [];
        if (plan.Result(reads.Symbols) is { } entries && layout.Symtab is { } symtab)
        {
            var names = plan.Result(reads.SymbolNames) is { } n ? n.Span : default;
            symbols = SymbolTableReader.Read(entries.Span, names, layout.Is64, layout.IsTwoLevel, ordinals, imports, warnings, symtab.Owner);
        }
        return (imports.Imports, symbols);
    }

    private MachOStringTable CollectStrings(RangePlan plan, PlannedReads reads, List<MachOWarning> warnings)
    {
        var collected = new MachOStringTable.Builder(_options.MaxStrings);
        foreach (var (section, id) in reads.StringSections)
        {
            if (plan.Result(id) is not { } data) continue;
            if (!SectionStrings.Extract(data, section, _options, collected))
            {
                warnings.Add(new(MachOWarningKind.StringLimit, $"string limit of {_options.MaxStrings} reached in {section.FullName}; later strings were not collected"));
                break;
            }
        }
        if (collected.Cut > 0)
            warnings.Add(new(MachOWarningKind.StringCut, $"{collected.Cut} strings longer than {_options.MaxStringLength} characters were cut to that length"));
        return collected.Build();
    }

    /// <summary>Header plus load commands as one buffer: the parser needs them together and ranges may point into them.</summary>
    private ReadOnlyMemory<byte> ReadPrefix(MachHeader header, ReadOnlyMemory<byte> headerBytes)
    {
        var prefix = new byte[header.CommandsEnd];
        headerBytes.Span[..header.Size].CopyTo(prefix);
        if (header.CommandBytes > 0)
            _input.Read(_sliceOffset + header.Size, (int)header.CommandBytes, $"load commands ({header.CommandCount} commands, {header.CommandBytes} bytes)")
                .Span.CopyTo(prefix.AsSpan(header.Size));
        return prefix;
    }

    /// <summary>
    /// Forward-only input: the length was unknown while the load commands were checked. Confirm the furthest
    /// declared byte exists; if the stream ends first, check the commands again against the now known length so the
    /// error names the same structure a seekable read would have named.
    /// </summary>
    private void ConfirmDeclaredEnd(MachHeader header, ReadOnlyMemory<byte> prefix, SliceLayout layout)
    {
        try
        {
            _input.EnsureAvailable(_sliceOffset + layout.DeclaredEnd, "data the load commands point to");
        }
        catch (MachOFormatException) when (_input.Length is { } learned)
        {
            LoadCommandParser.Parse(header, prefix.Span, Source, _sliceOffset, learned - _sliceOffset, _isFatSlice);
            throw;
        }
    }

    private static bool IsInsideEncryptedRange(EncryptionInfo? encryption, MachOSection section)
    {
        if (encryption is not { IsEncrypted: true } e) return false;
        var start = (ulong)e.CryptOffset;
        var end = start + e.CryptSize;
        return section.FileOffset < end && section.FileOffset + section.Size > start;
    }
}
