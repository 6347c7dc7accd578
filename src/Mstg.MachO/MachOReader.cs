using System.Buffers.Binary;
using Mstg.MachO.Format;
using Mstg.MachO.IO;
using Mstg.MachO.Reading;

namespace Mstg.MachO;

/// <summary>
/// Reads thin and fat Mach-O files: dylibs, imports, build and encryption info, sections and string literals.
/// It touches only the bytes it needs, in file order, so a 200 MB binary streamed out of a zip costs a few
/// megabytes of memory. Bad input always ends in a <see cref="MachOFormatException"/>.
/// </summary>
public static class MachOReader
{
    public static MachOFile Read(Stream stream, string source, MachOReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Run(() => ByteSource.For(stream, source), source, options ?? MachOReadOptions.Default);
    }

    public static MachOFile Read(ReadOnlyMemory<byte> bytes, string source, MachOReadOptions? options = null)
        => Run(() => ByteSource.For(bytes, source), source, options ?? MachOReadOptions.Default);

    public static MachOFile ReadFile(string path, MachOReadOptions? options = null)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Readers only ever throw their typed error, a missing file included.
            throw new MachOFormatException(path, 0, $"cannot open the file: {e.Message}", e);
        }
        using (stream) return Read(stream, path, options);
    }

    private static MachOFile Run(Func<ByteSource> open, string source, MachOReadOptions options)
    {
        try
        {
            return ReadAll(open(), options);
        }
        catch (MachOFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            // Safety net only: every known problem is reported where it is found. The robustness tests assert
            // this path is never taken (InnerException stays null), so a hit here is a reader bug to fix.
            throw new MachOFormatException(source, 0, $"unexpected reader failure ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private static MachOFile ReadAll(ByteSource input, MachOReadOptions options)
    {
        var head = input.ReadHead(ByteSource.HeadSize);
        if (head.Length < 4)
            throw new MachOFormatException(input.Source, 0, $"file is {head.Length} bytes, too short to be a Mach-O file");
        var bigEndianMagic = BinaryPrimitives.ReadUInt32BigEndian(head.Span);
        if (bigEndianMagic is FatHeader.Magic32 or FatHeader.Magic64)
            return ReadFat(input, head, options);

        // A thin header lies inside the head already; parsing it from there reports a wrong magic before a short file.
        var header = MachHeader.Parse(head.Span[..Math.Min(head.Length, MachHeader.Size64)], input.Source, 0, input.Length, options);
        var headerBytes = head[..header.Size];
        var images = new List<MachOImage>();
        if (Wanted(CpuNames.Of(header.CpuType, header.CpuSubtype), options))
            images.Add(SliceReader.Read(input, 0, input.Length, isFatSlice: false, options, header, headerBytes));
        return new MachOFile(input.Source, IsFat: false, images);
    }

    private static MachOFile ReadFat(ByteSource input, ReadOnlyMemory<byte> head, MachOReadOptions options)
    {
        var arches = FatHeader.Parse(input, head, options);
        var images = new (int Index, MachOImage Image)[arches.Count];
        var count = 0;
        foreach (var arch in arches.OrderBy(a => a.Offset))
        {
            if (!Wanted(arch.Architecture, options)) continue;
            var (header, headerBytes) = SliceReader.ReadHeader(input, arch.Offset, arch.Size, options);
            var image = SliceReader.Read(input, arch.Offset, arch.Size, isFatSlice: true, options, header, headerBytes);
            if (header.CpuType != arch.CpuType)
                image = image with { Warnings = [.. image.Warnings, new(MachOWarningKind.FatArchMismatch, $"fat arch {arch.Index} says {arch.Architecture} but its mach header says {image.Architecture}")] };
            images[count++] = (arch.Index, image);
        }
        if (input.Length is null) ConfirmSlicesExist(input, head, arches, options);
        return new MachOFile(input.Source, IsFat: true, images[..count].OrderBy(i => i.Index).Select(i => i.Image).ToList());
    }

    /// <summary>Forward-only input: refuse a fat file whose slices run past its end, as a seekable read does up front.</summary>
    private static void ConfirmSlicesExist(ByteSource input, ReadOnlyMemory<byte> head, IReadOnlyList<FatArch> arches, MachOReadOptions options)
    {
        try
        {
            input.EnsureAvailable(arches.Max(a => a.End), "fat slices");
        }
        catch (MachOFormatException) when (input.Length is not null)
        {
            FatHeader.Parse(input, head, options);
            throw;
        }
    }

    private static bool Wanted(string architecture, MachOReadOptions options) =>
        options.Architectures is null || options.Architectures.Contains(architecture);
}
