using Mstg.MachO.Format;
using Mstg.MachO.IO;

namespace Mstg.MachO.Reading;

/// <summary>
/// The byte ranges one slice needs beyond its load commands, read in ascending file order so forward-only
/// input is passed over once. Overlapping ranges are merged and read once; ranges inside the already-read
/// header prefix are served from it. Size limits are applied here, with a warning for each cut.
/// </summary>
internal sealed class RangePlan(long sliceOffset, ReadOnlyMemory<byte> prefix, MachOReadOptions options, List<MachOWarning> warnings)
{
    private readonly List<(SliceRange Range, int Id)> _requests = [];
    private readonly Dictionary<int, ReadOnlyMemory<byte>> _results = [];
    private long _budget = options.MaxBytesPerSlice;
    private int _nextId;

    /// <summary>Asks for a structure that is useless when cut (tables, bind streams): over the limit it is skipped.</summary>
    public int? RequestWhole(SliceRange range)
    {
        if (range.Size == 0) return null;
        if (range.Size > options.MaxRangeBytes)
        {
            warnings.Add(new(MachOWarningKind.RangeTooLarge, $"{range.Describe} is {range.Size} bytes, over the {options.MaxRangeBytes}-byte range limit; not read"));
            return null;
        }
        return Add(range);
    }

    /// <summary>Asks for a string section: over the limit it is truncated, since its first part is still useful.</summary>
    public int? RequestTruncatable(SliceRange range)
    {
        if (range.Size == 0) return null;
        if (range.Size > options.MaxRangeBytes)
        {
            warnings.Add(new(MachOWarningKind.StringSectionTruncated, $"{range.Describe} is {range.Size} bytes; only its first {options.MaxRangeBytes} bytes were read"));
            range = range with { Size = options.MaxRangeBytes };
        }
        return Add(range);
    }

    private int? Add(SliceRange range)
    {
        if (range.Size > _budget)
        {
            warnings.Add(new(MachOWarningKind.ReadBudgetSpent, $"{range.Describe} ({range.Size} bytes) was not read: the slice's {options.MaxBytesPerSlice}-byte read budget is spent"));
            return null;
        }
        _budget -= range.Size;
        var id = _nextId++;
        _requests.Add((range, id));
        return id;
    }

    public ReadOnlyMemory<byte>? Result(int? id)
    {
        // Spelled out: a conditional with a bare null would convert it to an empty ReadOnlyMemory, not to "no result".
        if (id is { } i && _results.TryGetValue(i, out var bytes)) return bytes;
        return null;
    }

    /// <summary>Reads every request. The end of the furthest range read is returned as a lower bound of the slice size.</summary>
    public long Execute(ByteSource source)
    {
        var ordered = _requests.OrderBy(r => r.Range.Offset).ThenByDescending(r => r.Range.End).ToList();
        var furthest = 0L;
        var i = 0;
        while (i < ordered.Count)
        {
            var chunkStart = ordered[i].Range.Offset;
            var chunkEnd = ordered[i].Range.End;
            var j = i + 1;
            while (j < ordered.Count && ordered[j].Range.Offset < chunkEnd)
            {
                chunkEnd = Math.Max(chunkEnd, ordered[j].Range.End);
                j++;
            }
            var chunk = ReadChunk(source, chunkStart, chunkEnd, ordered[i].Range.Describe);
            for (var k = i; k < j; k++)
            {
                var r = ordered[k].Range;
                _results[ordered[k].Id] = chunk.Slice((int)(r.Offset - chunkStart), (int)r.Size);
            }
            furthest = Math.Max(furthest, chunkEnd);
            i = j;
        }
        return furthest;
    }

    private ReadOnlyMemory<byte> ReadChunk(ByteSource source, long start, long end, string what)
    {
        var length = (int)(end - start);
        if (end <= prefix.Length) return prefix.Slice((int)start, length);
        if (start >= prefix.Length) return source.Read(sliceOffset + start, length, what);

        // Straddles the end of the header prefix: those bytes were consumed already, so take them from memory.
        var combined = new byte[length];
        prefix.Span[(int)start..].CopyTo(combined);
        var head = prefix.Length - (int)start;
        source.Read(sliceOffset + prefix.Length, length - head, what).Span.CopyTo(combined.AsSpan(head));
        return combined;
    }
}
