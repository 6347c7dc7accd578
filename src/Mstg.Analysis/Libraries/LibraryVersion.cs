using System.Globalization;
using System.Text.RegularExpressions;

namespace Mstg.Analysis.Libraries;

/// <summary>
/// A library version compared the way the advisories need: numeric dotted parts (missing parts are 0), then an
/// OpenSSL-style letter suffix (<c>1.0.1f</c> &lt; <c>1.0.1g</c> &lt; <c>1.0.1z</c> &lt; <c>1.0.2</c>; <c>1.0.2z</c> &lt; <c>1.0.2za</c>),
/// then a semver pre-release (<c>5.0.0-beta.1</c> &lt; <c>5.0.0</c>). Build metadata after '+' is ignored.
/// </summary>
public sealed partial class LibraryVersion : IComparable<LibraryVersion>, IEquatable<LibraryVersion>
{
    private readonly long[] _numbers;

    private LibraryVersion(string text, long[] numbers, string suffix, string? preRelease)
    {
        Text = text;
        _numbers = numbers;
        Suffix = suffix;
        PreRelease = preRelease;
    }

    public string Text { get; }
    public IReadOnlyList<long> Numbers => _numbers;
    /// <summary>Letters right after the last number (OpenSSL patch letters), lower case.</summary>
    public string Suffix { get; }
    public string? PreRelease { get; }

    [GeneratedRegex(@"^[vV]?(\d{1,9}(?:\.\d{1,9}){0,5})([a-zA-Z]{0,3})(?:[-~]([0-9A-Za-z.\-]+))?(?:\+[0-9A-Za-z.\-]*)?$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out LibraryVersion version)
    {
        version = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var m = Pattern().Match(text.Trim());
        if (!m.Success) return false;
        var numbers = m.Groups[1].Value.Split('.').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        version = new LibraryVersion(text.Trim(), numbers, m.Groups[2].Value.ToLowerInvariant(), m.Groups[3].Success ? m.Groups[3].Value : null);
        return true;
    }

    public static LibraryVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a version.");

    public int CompareTo(LibraryVersion? other)
    {
        if (other is null) return 1;
        var length = Math.Max(_numbers.Length, other._numbers.Length);
        for (var i = 0; i < length; i++)
        {
            var a = i < _numbers.Length ? _numbers[i] : 0;
            var b = i < other._numbers.Length ? other._numbers[i] : 0;
            if (a != b) return a.CompareTo(b);
        }
        // OpenSSL letters: shorter first ("z" < "za"), then alphabetical.
        if (Suffix.Length != other.Suffix.Length) return Suffix.Length.CompareTo(other.Suffix.Length);
        var letters = string.CompareOrdinal(Suffix, other.Suffix);
        if (letters != 0) return Math.Sign(letters);
        return ComparePreRelease(PreRelease, other.PreRelease);
    }

    private static int ComparePreRelease(string? a, string? b)
    {
        if (a == b) return 0;
        if (a is null) return 1;   // a release is newer than any of its pre-releases
        if (b is null) return -1;
        var pa = a.Split('.');
        var pb = b.Split('.');
        for (var i = 0; i < Math.Min(pa.Length, pb.Length); i++)
        {
            var na = long.TryParse(pa[i], NumberStyles.None, CultureInfo.InvariantCulture, out var x);
            var nb = long.TryParse(pb[i], NumberStyles.None, CultureInfo.InvariantCulture, out var y);
            var c = na && nb ? x.CompareTo(y) : na ? -1 : nb ? 1 : string.CompareOrdinal(pa[i], pb[i]);
            if (c != 0) return Math.Sign(c);
        }
        return pa.Length.CompareTo(pb.Length);
    }

    public bool Equals(LibraryVersion? other) => other is not null && CompareTo(other) == 0;
    public override bool Equals(object? obj) => obj is LibraryVersion v && Equals(v);
    public override int GetHashCode() => HashCode.Combine(string.Join('.', _numbers.Reverse().SkipWhile(n => n == 0).Reverse()), Suffix, PreRelease);
    public override string ToString() => Text;

    public static bool operator <(LibraryVersion a, LibraryVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(LibraryVersion a, LibraryVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(LibraryVersion a, LibraryVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(LibraryVersion a, LibraryVersion b) => a.CompareTo(b) >= 0;
}
