using Mstg.Plist;

namespace Mstg.Bundles.Discovery;

/// <summary>Reads an Info.plist (binary or XML) through the source's limited stream, never more than MaxPlistSize bytes.</summary>
internal static class InfoPlistLoader
{
    public static PlistDocument Load(IBundleSource source, BundleFile file, BundleLimits limits, string documentName)
    {
        var place = $"entry {file.Path}";
        if (file.Size > limits.MaxPlistSize)
            throw new BundleFormatException(source.Source, place, $"Info.plist is {file.Size} bytes, past the {limits.MaxPlistSize}-byte plist size limit");

        byte[] content;
        using (var stream = source.Open(file))
            content = ReadCapped(stream, limits.MaxPlistSize, source.Source, place);

        try
        {
            return PlistReader.Read(content, documentName);
        }
        catch (MstgInputException e)
        {
            throw new BundleFormatException(source.Source, place, $"Info.plist is malformed: {e.Place}: {e.Problem}", e);
        }
    }

    /// <summary>Reads at most <paramref name="max"/> bytes; one byte more means the declared size lied and the plist is too big.</summary>
    private static byte[] ReadCapped(Stream stream, long max, string source, string place)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            memory.Write(buffer, 0, read);
            if (memory.Length > max)
                throw new BundleFormatException(source, place, $"Info.plist holds more than the {max}-byte plist size limit");
        }
        return memory.ToArray();
    }
}
