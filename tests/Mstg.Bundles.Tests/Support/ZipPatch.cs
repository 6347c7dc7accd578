using System.Buffers.Binary;
using System.Text;

namespace Mstg.Bundles.Tests.Support;

/// <summary>Header edits the builder does not offer (kept here because only these tests need them).</summary>
public static class ZipPatch
{
    /// <summary>Sets the compressed size in the central-directory record of <paramref name="entry"/>.</summary>
    public static void SetCompressedSize(string zip, string entry, uint size)
    {
        var bytes = File.ReadAllBytes(zip);
        var name = Encoding.UTF8.GetBytes(entry);
        for (var i = bytes.Length - 46; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) != 0x02014b50) continue;
            var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 28));
            if (length != name.Length || !bytes.AsSpan(i + 46, length).SequenceEqual(name)) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 20), size);
            File.WriteAllBytes(zip, bytes);
            return;
        }
        throw new ArgumentException($"no directory record for {entry}");
    }
}
