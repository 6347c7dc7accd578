using System.Numerics;

namespace Mstg.Plist;

/// <summary>Where a node came from: a line and column for text formats, a byte offset for binary ones.</summary>
public readonly record struct PlistPosition(int Line, int Column, long Offset)
{
    public static PlistPosition AtLine(int line, int column = 0) => new(line, column, -1);
    public static PlistPosition AtByte(long offset) => new(0, 0, offset);
    public static readonly PlistPosition Unknown = new(0, 0, -1);

    public override string ToString() =>
        Line > 0 ? (Column > 0 ? $"line {Line}, column {Column}" : $"line {Line}")
        : Offset >= 0 ? $"byte 0x{Offset:x}" : "unknown position";
}

public enum PlistFormat { Xml, Binary, OpenStep }

/// <summary>A parsed property list: its root, the format it was in and the name errors and findings use for it.</summary>
public sealed record PlistDocument(PlistNode Root, PlistFormat Format, string Source);

/// <summary>Base of the typed plist tree. Nodes are immutable and remember where they were read.</summary>
public abstract class PlistNode
{
    protected PlistNode(PlistPosition position) => Position = position;

    public PlistPosition Position { get; }

    /// <summary>Name of the plist type as Apple writes it (<c>dict</c>, <c>string</c>, <c>true</c> …), for messages.</summary>
    public abstract string TypeName { get; }

    /// <summary>Structural equality that ignores positions: two trees read from an XML file and its binary twin are equal.</summary>
    public abstract bool ContentEquals(PlistNode? other);
}

public sealed class PlistString(string value, PlistPosition position = default) : PlistNode(position)
{
    public string Value { get; } = value;
    public override string TypeName => "string";
    public override bool ContentEquals(PlistNode? other) => other is PlistString s && s.Value == Value;
    public override string ToString() => Value;
}

/// <summary>Integers up to 128 bits (binary plists allow 16-byte ints; unsigned 64-bit values need more than a long).</summary>
public sealed class PlistInteger(BigInteger value, PlistPosition position = default) : PlistNode(position)
{
    public BigInteger Value { get; } = value;
    public override string TypeName => "integer";
    public override bool ContentEquals(PlistNode? other) => other is PlistInteger i && i.Value == Value;
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class PlistReal(double value, PlistPosition position = default) : PlistNode(position)
{
    public double Value { get; } = value;
    public override string TypeName => "real";
    public override bool ContentEquals(PlistNode? other) => other is PlistReal r && (r.Value.Equals(Value));
    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class PlistBoolean(bool value, PlistPosition position = default) : PlistNode(position)
{
    public bool Value { get; } = value;
    public override string TypeName => Value ? "true" : "false";
    public override bool ContentEquals(PlistNode? other) => other is PlistBoolean b && b.Value == Value;
    public override string ToString() => Value ? "true" : "false";
}

/// <summary>A date, always in UTC. Binary plists store seconds since 2001-01-01; XML uses ISO 8601 with a Z.</summary>
public sealed class PlistDate(DateTimeOffset value, PlistPosition position = default) : PlistNode(position)
{
    public DateTimeOffset Value { get; } = value;
    public override string TypeName => "date";
    // Compared to the whole second: XML dates carry no fraction, binary ones may.
    public override bool ContentEquals(PlistNode? other) =>
        other is PlistDate d && d.Value.ToUnixTimeSeconds() == Value.ToUnixTimeSeconds();
    public override string ToString() => Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class PlistData(byte[] value, PlistPosition position = default) : PlistNode(position)
{
    public ReadOnlyMemory<byte> Value { get; } = value;
    public override string TypeName => "data";
    public override bool ContentEquals(PlistNode? other) => other is PlistData d && d.Value.Span.SequenceEqual(Value.Span);
    public override string ToString() => Convert.ToBase64String(Value.Span);
}

/// <summary>An NSKeyedArchiver object reference (binary plists only; XML writes it as a dict with <c>CF$UID</c>).</summary>
public sealed class PlistUid(ulong value, PlistPosition position = default) : PlistNode(position)
{
    public ulong Value { get; } = value;
    public override string TypeName => "uid";
    public override bool ContentEquals(PlistNode? other) => other is PlistUid u && u.Value == Value;
    public override string ToString() => $"UID({Value})";
}

/// <summary>An array, or a set (binary plists only; <see cref="IsSet"/> tells them apart).</summary>
public sealed class PlistArray(IReadOnlyList<PlistNode> items, PlistPosition position = default, bool isSet = false) : PlistNode(position)
{
    public IReadOnlyList<PlistNode> Items { get; } = items;
    public bool IsSet { get; } = isSet;
    public int Count => Items.Count;
    public PlistNode this[int index] => Items[index];
    public override string TypeName => IsSet ? "set" : "array";
    public override bool ContentEquals(PlistNode? other) =>
        other is PlistArray a && a.IsSet == IsSet && a.Count == Count && Items.Zip(a.Items).All(p => p.First.ContentEquals(p.Second));
}

/// <summary>One key of a dict, with where the key itself was written.</summary>
public sealed record PlistEntry(string Key, PlistNode Value, PlistPosition KeyPosition);

/// <summary>
/// A dictionary that keeps every entry in file order, duplicates included, because a reviewer needs to see a key
/// written twice. Lookups follow CoreFoundation: the last occurrence of a key wins.
/// </summary>
public sealed class PlistDict : PlistNode
{
    private readonly Dictionary<string, PlistEntry> _last = new(StringComparer.Ordinal);

    public PlistDict(IReadOnlyList<PlistEntry> entries, PlistPosition position = default) : base(position)
    {
        Entries = entries;
        var duplicates = new List<PlistEntry>();
        foreach (var entry in entries)
        {
            if (_last.ContainsKey(entry.Key)) duplicates.Add(entry);
            _last[entry.Key] = entry;
        }
        DuplicateKeys = duplicates;
    }

    /// <summary>All entries in file order, duplicates included.</summary>
    public IReadOnlyList<PlistEntry> Entries { get; }

    /// <summary>Entries whose key had already appeared earlier in the same dict (the later ones, which win).</summary>
    public IReadOnlyList<PlistEntry> DuplicateKeys { get; }

    /// <summary>Distinct keys in the order of their last occurrence's first appearance.</summary>
    public IEnumerable<string> Keys => _last.Keys;
    public int Count => _last.Count;

    public PlistNode? this[string key] => _last.TryGetValue(key, out var e) ? e.Value : null;
    public bool TryGetValue(string key, out PlistNode value)
    {
        if (_last.TryGetValue(key, out var e)) { value = e.Value; return true; }
        value = null!;
        return false;
    }
    public PlistEntry? GetEntry(string key) => _last.GetValueOrDefault(key);

    public override string TypeName => "dict";

    public override bool ContentEquals(PlistNode? other)
    {
        if (other is not PlistDict d || d.Count != Count) return false;
        foreach (var (key, entry) in _last)
            if (!d.TryGetValue(key, out var v) || !entry.Value.ContentEquals(v)) return false;
        return true;
    }
}

/// <summary>Bad plist input: names the file, the line or byte offset, and what was wrong.</summary>
public sealed class PlistFormatException(string source, PlistPosition position, string problem, Exception? inner = null)
    : MstgInputException(source, position.ToString(), problem, inner)
{
    public PlistPosition Position { get; } = position;
}
