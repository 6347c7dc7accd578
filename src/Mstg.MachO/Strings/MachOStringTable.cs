using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;

namespace Mstg.MachO;

/// <summary>Tests a string's UTF-8 bytes without turning them into a .NET string.</summary>
public delegate bool Utf8Predicate(ReadOnlySpan<byte> utf8);

/// <summary>Tests a string's characters, decoded into a reused buffer rather than a new .NET string.</summary>
public delegate bool TextPredicate(ReadOnlySpan<char> text);

/// <summary>
/// The strings of an image, kept as the UTF-8 bytes of the sections they were read from plus 8 bytes per string
/// (offset and length). A 300 MB app has millions of strings; as .NET objects they would cost over 100 bytes each,
/// here they cost their own bytes once. <see cref="MachOString"/> values are made on demand when the table is
/// enumerated or indexed; <see cref="Find"/> and <see cref="Contains"/> use a hash index over the bytes (4–8 bytes per
/// string, built on first use), and <see cref="Where"/> filters on the bytes before anything is decoded.
/// </summary>
[CollectionBuilder(typeof(MachOStringTable), nameof(Create))]
public sealed class MachOStringTable : IReadOnlyList<MachOString>
{
    /// <summary>One section's strings: its bytes and where its strings start in the table.</summary>
    /// <param name="SectionOffsets">Offsets in the section when they differ from offsets in <paramref name="Data"/> (UTF-16 sections, which are stored transcoded).</param>
    internal sealed record Block(string Section, ReadOnlyMemory<byte> Data, int First, int[]? SectionOffsets);

    private readonly Block[] _blocks;
    private readonly int[] _offsets;
    private readonly int[] _lengths;
    private int[]? _index;

    public static MachOStringTable Empty { get; } = new([], [], []);

    internal MachOStringTable(Block[] blocks, int[] offsets, int[] lengths)
    {
        _blocks = blocks;
        _offsets = offsets;
        _lengths = lengths;
    }

    /// <summary>A table holding the given strings (tests, and models built by hand).</summary>
    public static MachOStringTable Create(ReadOnlySpan<MachOString> strings)
    {
        var builder = new MachOStringTable.Builder(int.MaxValue);
        foreach (var s in strings) builder.AddOwned(s.Section, Encoding.UTF8.GetBytes(s.Value), checked((int)s.Offset));
        return builder.Build();
    }

    /// <summary>A table holding the given strings.</summary>
    public static MachOStringTable From(IEnumerable<MachOString> strings) => Create(strings.ToArray());

    public int Count => _offsets.Length;

    public MachOString this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return Make(index, BlockOf(index));
        }
    }

    /// <summary>The UTF-8 bytes of string <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Utf8(int index) => Bytes(index, BlockOf(index));

    /// <summary>The first string equal to <paramref name="value"/> (the one a location should name), or null.</summary>
    public MachOString? Find(string value) => IndexOf(value) is var i and >= 0 ? this[i] : null;

    public bool Contains(string value) => IndexOf(value) >= 0;

    /// <summary>Index of the first string equal to <paramref name="value"/>, or -1.</summary>
    public int IndexOf(string value)
    {
        if (Count == 0) return -1;
        var index = _index ?? BuildIndex();
        var bytes = Encoding.UTF8.GetBytes(value);
        var mask = index.Length - 1;
        for (var slot = Hash(bytes) & mask; index[slot] != 0; slot = (slot + 1) & mask)
        {
            var candidate = index[slot] - 1;
            if (Utf8(candidate).SequenceEqual(bytes)) return candidate;
        }
        return -1;
    }

    /// <summary>The strings whose bytes pass <paramref name="predicate"/>; only those are decoded.</summary>
    public IEnumerable<MachOString> Where(Utf8Predicate predicate)
    {
        for (var b = 0; b < _blocks.Length; b++)
        {
            var block = _blocks[b];
            var end = b + 1 < _blocks.Length ? _blocks[b + 1].First : Count;
            for (var i = block.First; i < end; i++)
                if (predicate(Bytes(i, block))) yield return Make(i, block);
        }
    }

    /// <summary>
    /// The strings whose text passes <paramref name="predicate"/> (a regular expression, a substring test); each string is
    /// decoded into one reused buffer and only the matches become <see cref="MachOString"/> values.
    /// </summary>
    public IEnumerable<MachOString> WhereText(TextPredicate predicate)
    {
        var buffer = new char[256];
        for (var b = 0; b < _blocks.Length; b++)
        {
            var block = _blocks[b];
            var end = b + 1 < _blocks.Length ? _blocks[b + 1].First : Count;
            for (var i = block.First; i < end; i++)
            {
                if (!Passes(i, block, ref buffer, predicate)) continue;
                yield return Make(i, block);
            }
        }
    }

    // Not inlined in the iterator: spans cannot live across a yield.
    private bool Passes(int i, Block block, ref char[] buffer, TextPredicate predicate)
    {
        var bytes = Bytes(i, block);
        // UTF-8 never decodes to more characters than it has bytes.
        if (buffer.Length < bytes.Length) buffer = new char[Math.Max(bytes.Length, buffer.Length * 2)];
        var length = Encoding.UTF8.GetChars(bytes, buffer);
        return predicate(buffer.AsSpan(0, length));
    }

    /// <summary>The strings of sections whose name satisfies <paramref name="section"/> (for example <c>__objc_classname</c>).</summary>
    public IEnumerable<MachOString> InSections(Func<string, bool> section)
    {
        for (var b = 0; b < _blocks.Length; b++)
        {
            var block = _blocks[b];
            if (!section(block.Section)) continue;
            var end = b + 1 < _blocks.Length ? _blocks[b + 1].First : Count;
            for (var i = block.First; i < end; i++) yield return Make(i, block);
        }
    }

    public IEnumerator<MachOString> GetEnumerator() => Where(static _ => true).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private ReadOnlySpan<byte> Bytes(int i, Block block) => block.Data.Span.Slice(_offsets[i], _lengths[i]);

    private MachOString Make(int i, Block block)
    {
        var offset = block.SectionOffsets is { } map ? map[i - block.First] : _offsets[i];
        return new MachOString(Encoding.UTF8.GetString(Bytes(i, block)), block.Section, (ulong)offset);
    }

    private Block BlockOf(int index)
    {
        int lo = 0, hi = _blocks.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_blocks[mid].First <= index) lo = mid; else hi = mid - 1;
        }
        return _blocks[lo];
    }

    /// <summary>Open addressing over string indices (stored +1, 0 is empty); the first of equal strings wins.</summary>
    private int[] BuildIndex()
    {
        var size = 1;
        while (size < Count * 2L) size <<= 1;
        var index = new int[size];
        var mask = size - 1;
        for (var b = 0; b < _blocks.Length; b++)
        {
            var block = _blocks[b];
            var end = b + 1 < _blocks.Length ? _blocks[b + 1].First : Count;
            for (var i = block.First; i < end; i++)
            {
                var bytes = Bytes(i, block);
                var slot = Hash(bytes) & mask;
                while (index[slot] != 0 && !Utf8(index[slot] - 1).SequenceEqual(bytes)) slot = (slot + 1) & mask;
                if (index[slot] == 0) index[slot] = i + 1;
            }
        }
        // Built at most once per caller race; both results are equal, so whichever lands is fine.
        return _index = index;
    }

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode() & int.MaxValue;
    }

    /// <summary>Collects strings section by section; refuses more than its limit.</summary>
    internal sealed class Builder(int maxStrings)
    {
        private readonly List<Block> _blocks = [];
        private readonly List<int> _offsets = [];
        private readonly List<int> _lengths = [];
        private List<int>? _sectionOffsets;
        private List<byte>? _owned;
        private string? _ownedSection;

        public int Count => _offsets.Count;

        /// <summary>Strings kept only in part (longer than <see cref="MachOReadOptions.MaxStringLength"/>).</summary>
        public int Cut { get; set; }

        public bool Full => Count >= maxStrings;

        /// <summary>Starts a section whose strings are slices of <paramref name="data"/> at their own offsets.</summary>
        public void BeginSection(string section, ReadOnlyMemory<byte> data)
        {
            FlushOwned();
            _blocks.Add(new Block(section, data, Count, null));
        }

        /// <summary>Adds a string of the current section (see <see cref="BeginSection"/>); false when the table is full.</summary>
        public bool Add(int offset, int length)
        {
            if (Full) return false;
            _offsets.Add(offset);
            _lengths.Add(length);
            return true;
        }

        /// <summary>Adds a string whose bytes are not a slice of a section (transcoded UTF-16, built by hand); false when full.</summary>
        public bool AddOwned(string section, ReadOnlySpan<byte> utf8, int sectionOffset)
        {
            if (Full) return false;
            if (_owned is null || _ownedSection != section) { FlushOwned(); _owned = []; _sectionOffsets = []; _ownedSection = section; }
            _offsets.Add(_owned.Count);
            _lengths.Add(utf8.Length);
            _sectionOffsets!.Add(sectionOffset);
            _owned.AddRange(utf8);
            return true;
        }

        private void FlushOwned()
        {
            if (_owned is null) return;
            var first = Count - _sectionOffsets!.Count;
            _blocks.Add(new Block(_ownedSection!, _owned.ToArray(), first, _sectionOffsets.ToArray()));
            _owned = null;
            _sectionOffsets = null;
            _ownedSection = null;
        }

        public MachOStringTable Build()
        {
            FlushOwned();
            // Drop sections that kept no string, so every block owns at least one index.
            var blocks = _blocks.Where((b, i) => (i + 1 < _blocks.Count ? _blocks[i + 1].First : Count) > b.First).ToArray();
            return Count == 0 ? Empty : new MachOStringTable(blocks, [.. _offsets], [.. _lengths]);
        }
    }
}
