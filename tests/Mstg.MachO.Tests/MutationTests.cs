using System.Buffers.Binary;
using Mstg.Fixtures.Fuzzing;
using Mstg.MachO.Tests.Support;

namespace Mstg.MachO.Tests;

/// <summary>
/// Seeded mutation testing over real binaries: bit flips in the header and load commands, truncations, hostile
/// values in size/offset/count fields and garbage in __LINKEDIT. Every mutant must either read or end in a
/// MachOFormatException raised where the problem was found (no inner exception = the safety net was not needed).
/// A hang would show up as this test not finishing; no timing is asserted. The fixed seeds repeat exactly on every
/// build; the random run adds mutants from a seed drawn per run (printed; replay with MSTG_FUZZ_SEED) within a
/// time budget.
/// </summary>
public class MutationTests
{
    private const int Seed = 20261121;

    private static readonly uint[] HostileValues =
        [0, 1, 4, 7, 8, 0x10, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFF, 0x00010000, 0x0FFFFFFF];

    public static TheoryData<string> Bases() => ["arm64", "x86_64", "fat", "dylib", "armv7.o", "chained"];

    private static byte[] Base(string name) => name switch
    {
        "arm64" => TestBinaries.Arm64,
        "x86_64" => TestBinaries.X86_64,
        "fat" => TestBinaries.Fat,
        "dylib" => TestBinaries.Dylib,
        "armv7.o" => ObjectFiles.ArmV7,
        _ => ChainedFixupsFixture.Build(TestBinaries.Arm64,
            [new("_socket", 1), new("_SecTrustEvaluateWithError", 2, Weak: true), new("_flat", -2)], 3),
    };

    [Theory]
    [MemberData(nameof(Bases))]
    public void Mutants_read_or_fail_with_a_located_format_error(string name)
    {
        var original = Base(name);
        // Derived from the name by hand: string.GetHashCode is randomized per process and would break the fixed seed.
        var random = new Random(Seed + name.Length * 7919 + name[0]);
        var headerEnd = HeaderRegionEnd(original);
        var outcomes = new Dictionary<string, int>();
        var mutants = 0;

        foreach (var mutant in Mutants(original, headerEnd, random))
        {
            mutants++;
            var outcome = Outcome(mutant, $"{name}#{mutants}");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

            // A forward-only stream must agree on "readable or not" except where it cannot go back (reported as such).
            if (mutants % 8 == 0)
            {
                var forward = ForwardOutcome(mutant, $"{name}#{mutants}/forward");
                if (forward != "overlaps-passed-bytes") forward.Should().Be(outcome == "ok" ? "ok" : "error", $"mutant {mutants} of {name}");
            }
        }

        mutants.Should().BeGreaterThanOrEqualTo(550);
        outcomes.Should().ContainKey("ok").And.ContainKey("error", "the mutants must exercise both paths");
        TestContext.Current.TestOutputHelper?.WriteLine($"{name}: {mutants} mutants, {string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}"))}");
    }

    /// <summary>Random mutants of every base, from a seed drawn for this run, up to 5,000 or 15 s.</summary>
    [Fact]
    public void Random_mutants_read_or_fail_with_a_located_format_error()
    {
        var bases = Bases().Select(row => row.Data).Select(name => (Name: name, Bytes: Base(name))).ToList();
        var report = new FuzzCampaign("Mach-O", mutants: 5_000, budget: TimeSpan.FromSeconds(15)).Run((random, index) =>
        {
            var (name, original) = bases[random.Next(bases.Count)];
            var (mutant, what) = OneMutant(original, HeaderRegionEnd(original), random);
            try
            {
                return Outcome(mutant, $"{name}-fuzz-{index}") + " " + what;
            }
            catch (Exception e) when (e is not MachOFormatException)
            {
                throw new InvalidOperationException($"{what} mutant of {name}: {e.Message}", e);
            }
        });
        report.FailureMessage.Should().BeNull();
        report.Tried.Should().BePositive();
    }

    /// <summary>One mutant of the same five kinds as <see cref="Mutants"/>, chosen at random.</summary>
    private static (byte[] Bytes, string What) OneMutant(byte[] original, int headerEnd, Random random)
    {
        var m = (byte[])original.Clone();
        var fat = BinaryPrimitives.ReadUInt32BigEndian(original) == 0xCAFEBABE;
        switch (random.Next(fat ? 5 : 4))
        {
            case 0:
                for (var f = random.Next(1, 5); f > 0; f--) m[random.Next(headerEnd)] ^= (byte)(1 << random.Next(8));
                return (m, "header-flip");
            case 1:
                return (original[..random.Next(original.Length)], "truncation");
            case 2:
                var at = random.Next(headerEnd / 4) * 4;
                var value = random.Next(3) switch
                {
                    0 => HostileValues[random.Next(HostileValues.Length)],
                    1 => (uint)(original.Length + random.Next(-64, 64)),
                    _ => (uint)random.Next(),
                };
                BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(at), value);
                return (m, "hostile-field");
            case 3:
                var start = random.Next(headerEnd, original.Length);
                random.NextBytes(m.AsSpan(start, Math.Min(random.Next(1, 64), original.Length - start)));
                return (m, "linkedit-garbage");
            default:
                var tableEnd = 8 + 20 * (int)BinaryPrimitives.ReadUInt32BigEndian(original.AsSpan(4));
                var fatAt = 4 + random.Next((tableEnd - 4) / 4) * 4;
                BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(fatAt),
                    random.Next(2) == 0 ? HostileValues[random.Next(HostileValues.Length)] : (uint)random.Next(original.Length));
                return (m, "fat-table");
        }
    }

    private static string Outcome(byte[] mutant, string source)
    {
        try
        {
            var file = MachOReader.Read(mutant, source);
            // Whatever was read must be internally sane.
            foreach (var image in file.Images)
            {
                image.SliceOffset.Should().BeInRange(0, mutant.Length);
                image.Strings.Count.Should().BeLessThanOrEqualTo(MachOReadOptions.Default.MaxStrings);
            }
            return "ok";
        }
        catch (MachOFormatException e)
        {
            e.InnerException.Should().BeNull($"{source}: '{e.Message}' came from the safety net, i.e. an unchecked read");
            e.Source.Should().Be(source);
            e.Problem.Should().NotBeNullOrWhiteSpace();
            return "error";
        }
    }

    private static string ForwardOutcome(byte[] mutant, string source)
    {
        try
        {
            MachOReader.Read(new ForwardOnlyStream(new MemoryStream(mutant)), source);
            return "ok";
        }
        catch (MachOFormatException e)
        {
            e.InnerException.Should().BeNull($"{source}: '{e.Message}'");
            return e.Problem.Contains("already passed in a forward-only stream") ? "overlaps-passed-bytes" : "error";
        }
    }

    /// <summary>End of the mach header + load commands (of the first slice for fat files): where structure lives.</summary>
    private static int HeaderRegionEnd(byte[] bytes)
    {
        var sliceStart = 0;
        if (BinaryPrimitives.ReadUInt32BigEndian(bytes) == 0xCAFEBABE)
            sliceStart = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16));
        var is64 = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(sliceStart)) == 0xFEEDFACF;
        return sliceStart + (is64 ? 32 : 28) + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(sliceStart + 20));
    }

    private static IEnumerable<byte[]> Mutants(byte[] original, int headerEnd, Random random)
    {
        // 1. Bit flips in header and load commands (250).
        for (var i = 0; i < 250; i++)
        {
            var m = (byte[])original.Clone();
            var flips = random.Next(1, 5);
            for (var f = 0; f < flips; f++) m[random.Next(headerEnd)] ^= (byte)(1 << random.Next(8));
            yield return m;
        }
        // 2. Truncations: every 64 bytes through the header region, then random points in the rest (~150).
        for (var at = 0; at < headerEnd; at += 64) yield return original[..at];
        for (var i = 0; i < 100; i++) yield return original[..random.Next(headerEnd, original.Length)];
        // 3. Hostile 32-bit values in aligned fields of the load commands: sizes, offsets, counts (200).
        for (var i = 0; i < 200; i++)
        {
            var m = (byte[])original.Clone();
            var at = random.Next(headerEnd / 4) * 4;
            var value = random.Next(3) switch
            {
                0 => HostileValues[random.Next(HostileValues.Length)],
                1 => (uint)(original.Length + random.Next(-64, 64)),
                _ => (uint)random.Next(),
            };
            BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(at), value);
            yield return m;
        }
        // 4. Fat files: hostile values in the fat header and fat_arch table (big-endian fields) (60).
        if (BinaryPrimitives.ReadUInt32BigEndian(original) == 0xCAFEBABE)
        {
            var tableEnd = 8 + 20 * (int)BinaryPrimitives.ReadUInt32BigEndian(original.AsSpan(4));
            for (var i = 0; i < 60; i++)
            {
                var m = (byte[])original.Clone();
                var at = 4 + random.Next((tableEnd - 4) / 4) * 4;
                BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(at), random.Next(2) == 0 ? HostileValues[random.Next(HostileValues.Length)] : (uint)random.Next(original.Length));
                yield return m;
            }
        }
        // 5. Garbage in the data after the load commands: bind streams, symbol and string tables, fixups (100).
        for (var i = 0; i < 100; i++)
        {
            var m = (byte[])original.Clone();
            var start = random.Next(headerEnd, original.Length);
            var count = Math.Min(random.Next(1, 64), original.Length - start);
            random.NextBytes(m.AsSpan(start, count));
            yield return m;
        }
    }
}
