using Mstg.Analysis.Rules;
using Mstg.MachO;

namespace Mstg.Analysis.Binary;

/// <summary>Opens a section of the executable as a stream positioned at its first byte, without buffering the file.</summary>
internal static class SectionStream
{
    /// <summary>
    /// Returns the executable stream advanced to <paramref name="section"/> of <paramref name="image"/>. Section offsets are
    /// relative to the slice, so the slice offset of a fat file is added. Forward-only streams (deflated zip entries)
    /// are advanced by reading and discarding.
    /// </summary>
    public static Stream Open(BundleContext context, MachOImage image, MachOSection section)
    {
        var file = context.Bundle.Executable ?? throw new InvalidOperationException("Bundle has no executable.");
        var stream = context.Package.Files.Open(file);
        try
        {
            var target = image.SliceOffset + section.FileOffset;
            if (stream.CanSeek) stream.Seek(target, SeekOrigin.Begin);
            else Skip(stream, target);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static void Skip(Stream stream, long count)
    {
        var scratch = new byte[81920];
        while (count > 0)
        {
            var read = stream.Read(scratch, 0, (int)Math.Min(scratch.Length, count));
            if (read == 0) throw new EndOfStreamException("The executable ended before the section started.");
            count -= read;
        }
    }
}
