using System.Buffers.Binary;

namespace Mstg.Analysis.Binary;

/// <summary>
/// Finds ARM64 <c>MOVZ Wd, #imm16</c> instructions (encoding <c>0x52800000 | imm16 &lt;&lt; 5 | Rd</c>, hw = 0) that load one
/// of the wanted values into one of the wanted registers and are followed by a call (<c>BL</c>) or tail call (<c>B</c>)
/// within a short window — the shape of passing a constant argument. Reads the code as a stream in chunks, so a large
/// <c>__text</c> is never held in memory.
/// </summary>
public static class Arm64ImmediateScanner
{
    public readonly record struct Hit(ulong Offset, int Register, ushort Value, uint Instruction);

    /// <summary>How many following instructions may separate the constant load from the call.</summary>
    public const int CallWindow = 16;

    public static uint EncodeMovzW(int register, ushort value) => 0x52800000u | ((uint)value << 5) | (uint)register;

    public static bool TryDecodeMovzW(uint instruction, out int register, out ushort value)
    {
        // sf=0, opc=10 (MOVZ), 100101, hw=00: the top 11 bits are fixed.
        if ((instruction & 0xFFE00000u) != 0x52800000u) { register = 0; value = 0; return false; }
        register = (int)(instruction & 0x1F);
        value = (ushort)((instruction >> 5) & 0xFFFF);
        return true;
    }

    private static bool IsCall(uint instruction) => (instruction & 0x7C000000u) == 0x14000000u; // B and BL share bits 30..26 = 00101

    /// <summary>Scans <paramref name="length"/> bytes of little-endian ARM64 code read from <paramref name="code"/>.</summary>
    public static IReadOnlyList<Hit> Scan(Stream code, long length, IReadOnlySet<int> registers, IReadOnlySet<ushort> values, int maxHits = 100)
    {
        var hits = new List<Hit>();
        var pending = new List<(Hit Hit, int Left)>();
        var buffer = new byte[64 * 1024];
        long offset = 0;
        var carry = 0;
        while (offset < length && hits.Count < maxHits)
        {
            var want = (int)Math.Min(buffer.Length - carry, length - offset - carry);
            if (want <= 0 && carry == 0) break;
            var read = want <= 0 ? 0 : code.Read(buffer, carry, want);
            var available = carry + read;
            if (read == 0 && available < 4) break;
            var whole = available & ~3;
            for (var i = 0; i < whole; i += 4)
            {
                var instruction = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i));
                if (pending.Count > 0)
                {
                    if (IsCall(instruction))
                    {
                        hits.AddRange(pending.Select(p => p.Hit));
                        pending.Clear();
                    }
                    else
                    {
                        for (var p = pending.Count - 1; p >= 0; p--)
                            if (pending[p].Left <= 1) pending.RemoveAt(p);
                            else pending[p] = (pending[p].Hit, pending[p].Left - 1);
                    }
                }
                if (TryDecodeMovzW(instruction, out var rd, out var imm) && registers.Contains(rd) && values.Contains(imm))
                    pending.Add((new Hit((ulong)(offset + i), rd, imm, instruction), CallWindow));
            }
            carry = available - whole;
            if (carry > 0) Buffer.BlockCopy(buffer, whole, buffer, 0, carry);
            offset += whole;
            if (read == 0) break;
        }
        return hits.Count > maxHits ? hits.Take(maxHits).ToList() : hits;
    }
}
