using System.Buffers.Binary;
using System.Text;

namespace Mstg.Plist.Tests.Robustness;

/// <summary>Seeded byte-level mutations. Every choice comes from the given <see cref="Random"/>, so runs repeat exactly.</summary>
internal sealed class Mutator(Random random)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x0F, 0x10, 0x7F, 0x80, 0xFE, 0xFF, 0x13, 0x14, 0x4F, 0x5F, 0x6F, 0xAF, 0xDF];

    public (byte[] Bytes, string What) Generic(byte[] seed, IReadOnlyList<string> tokens)
    {
        var b = seed.ToArray();
        switch (random.Next(7))
        {
            case 0:
            {
                int flips = 1 + random.Next(4);
                for (int i = 0; i < flips; i++) b[random.Next(b.Length)] ^= (byte)(1 << random.Next(8));
                return (b, $"{flips} bit flips");
            }
            case 1:
            {
                int length = random.Next(b.Length);
                return (b[..length], $"truncated to {length}");
            }
            case 2:
            {
                int at = random.Next(b.Length + 1), count = 1 + random.Next(16);
                var extra = new byte[count];
                random.NextBytes(extra);
                return ([.. b[..at], .. extra, .. b[at..]], $"{count} random bytes inserted at {at}");
            }
            case 3:
            {
                int at = random.Next(b.Length), count = 1 + random.Next(Math.Min(64, b.Length - at));
                return ([.. b[..at], .. b[(at + count)..]], $"{count} bytes deleted at {at}");
            }
            case 4:
            {
                int at = random.Next(b.Length);
                b[at] = Interesting[random.Next(Interesting.Length)];
                return (b, $"byte {at} set to 0x{b[at]:x2}");
            }
            case 5:
            {
                int at = random.Next(b.Length + 1);
                string token = tokens[random.Next(tokens.Count)];
                return ([.. b[..at], .. Encoding.UTF8.GetBytes(token), .. b[at..]], $"'{token}' inserted at {at}");
            }
            default:
            {
                int from = random.Next(b.Length), count = 1 + random.Next(Math.Min(128, b.Length - from)), at = random.Next(b.Length + 1);
                return ([.. b[..at], .. b.AsSpan(from, count), .. b[at..]], $"{count} bytes from {from} copied to {at}");
            }
        }
    }

    /// <summary>Corrupts the parts of a binary plist that steer the reader: offset table entries and trailer fields.</summary>
    public (byte[] Bytes, string What) BinaryStructure(byte[] seed)
    {
        var b = seed.ToArray();
        var trailer = b.AsSpan(b.Length - 32);
        int offsetSize = trailer[6];
        long count = (long)BinaryPrimitives.ReadUInt64BigEndian(trailer[8..]);
        long table = (long)BinaryPrimitives.ReadUInt64BigEndian(trailer[24..]);
        switch (random.Next(4))
        {
            case 0:
            {
                long entry = table + random.NextInt64(count) * offsetSize;
                for (int i = 0; i < offsetSize; i++) b[entry + i] = (byte)random.Next(256);
                return (b, $"offset table entry at {entry} randomised");
            }
            case 1:
            {
                // Swap two offset entries: objects land where another type is expected (may make cycles).
                long e1 = table + random.NextInt64(count) * offsetSize, e2 = table + random.NextInt64(count) * offsetSize;
                for (int i = 0; i < offsetSize; i++) (b[e1 + i], b[e2 + i]) = (b[e2 + i], b[e1 + i]);
                return (b, $"offset entries at {e1} and {e2} swapped");
            }
            case 2:
            {
                int field = 6 + random.Next(26);
                b[b.Length - 32 + field] = (byte)random.Next(256);
                return (b, $"trailer byte {field} randomised");
            }
            default:
            {
                // Point one object's reference at a random object (the usual way to build a cycle).
                int at = 8 + random.Next((int)Math.Max(1, table - 8));
                b[at] = (byte)random.NextInt64(count);
                return (b, $"byte {at} set to an object index");
            }
        }
    }
}
