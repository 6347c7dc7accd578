using System.Buffers.Binary;
using System.Numerics;
using static Mstg.Plist.Tests.PlistAssert;

namespace Mstg.Plist.Tests.Binary;

public class BinaryReaderTests
{
    private static PlistDocument Read(byte[] bytes, string source = "b.plist", PlistReaderOptions? options = null) =>
        PlistReader.Read(bytes, source, options);

    [Fact]
    public void Reads_every_object_type()
    {
        var b = new BplistBuilder();
        var date = new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.Zero);
        var keys = new[] { "t", "f", "i1", "i2", "i4", "i8", "neg", "i16", "r32", "r64", "date", "data", "ascii", "utf16", "utf8", "uid", "uid16", "arr", "set" };
        var keyRefs = keys.Select(b.Ascii).ToArray();
        var values = new[]
        {
            b.Bool(true), b.Bool(false), b.Int(200, 1), b.Int(65000, 2), b.Int(4_000_000_000, 4), b.Int(long.MaxValue, 8),
            b.Int(-5, 8), b.Int(BigInteger.Pow(2, 100) + 7, 16), b.Real32(0.5f), b.Real(-1e300), b.Date(date),
            b.Data([1, 2, 3]), b.Ascii("plain"), b.Utf16("Привет ©"), b.Utf8("naïve"), b.Uid(42, 1), b.Uid(7, 16),
            b.Array(b.Ascii("x"), b.Int(1, 1)), b.Set(b.Ascii("y")),
        };
        int root = b.Dict(keyRefs.Zip(values).ToArray());
        var bytes = b.Build(root);

        var doc = Read(bytes);
        doc.Format.Should().Be(PlistFormat.Binary);
        var d = (PlistDict)doc.Root;
        d.Position.Offset.Should().BeGreaterThan(8);
        d.GetEntry("t")!.KeyPosition.Should().Be(PlistPosition.AtByte(8));
        ((PlistBoolean)d["t"]!).Value.Should().BeTrue();
        ((PlistBoolean)d["f"]!).Value.Should().BeFalse();
        ((PlistInteger)d["i1"]!).Value.Should().Be(200);
        ((PlistInteger)d["i2"]!).Value.Should().Be(65000);
        ((PlistInteger)d["i4"]!).Value.Should().Be(4_000_000_000);
        ((PlistInteger)d["i8"]!).Value.Should().Be(long.MaxValue);
        ((PlistInteger)d["neg"]!).Value.Should().Be(-5);
        ((PlistInteger)d["i16"]!).Value.Should().Be(BigInteger.Pow(2, 100) + 7);
        ((PlistReal)d["r32"]!).Value.Should().Be(0.5);
        ((PlistReal)d["r64"]!).Value.Should().Be(-1e300);
        ((PlistDate)d["date"]!).Value.Should().Be(date);
        ((PlistData)d["data"]!).Value.ToArray().Should().Equal(1, 2, 3);
        ((PlistString)d["ascii"]!).Value.Should().Be("plain");
        ((PlistString)d["utf16"]!).Value.Should().Be("Привет ©");
        ((PlistString)d["utf8"]!).Value.Should().Be("naïve");
        ((PlistUid)d["uid"]!).Value.Should().Be(42UL);
        ((PlistUid)d["uid16"]!).Value.Should().Be(7UL);
        var arr = (PlistArray)d["arr"]!;
        arr.IsSet.Should().BeFalse();
        arr.Items.Select(i => i.ToString()).Should().Equal("x", "1");
        var set = (PlistArray)d["set"]!;
        set.IsSet.Should().BeTrue();
        set.TypeName.Should().Be("set");
    }

    [Fact]
    public void Reads_long_strings_and_arrays_with_an_extended_length()
    {
        var b2 = new BplistBuilder { RefSize = 2 };
        var refs = Enumerable.Range(1, 300).ToArray();
        b2.Array(refs);
        foreach (var i in Enumerable.Range(0, 300)) b2.Int(i, 2);
        var arr = (PlistArray)Read(b2.Build(0)).Root;
        arr.Count.Should().Be(300);
        arr[299].Should().BeOfType<PlistInteger>().Which.Value.Should().Be(299);

        var b3 = new BplistBuilder();
        b3.Ascii(new string('a', 1000));
        ((PlistString)Read(b3.Build()).Root).Value.Should().HaveLength(1000);
    }

    [Fact]
    public void Shared_references_are_allowed_and_decoded_once()
    {
        // A "diamond ladder": each level's array refers twice to the level below. Without caching this is 2^40 work.
        var b = new BplistBuilder();
        int below = b.Ascii("leaf");
        for (int level = 0; level < 40; level++) below = b.Array(below, below);
        var root = (PlistArray)Read(b.Build(below)).Root;
        root[0].Should().BeSameAs(root[1]);
    }

    [Fact]
    public void Reads_ascii_keys_with_their_positions()
    {
        var b = new BplistBuilder();
        b.Dict((1, 2));
        b.Ascii("key");
        b.Bool(true);
        var d = (PlistDict)Read(b.Build()).Root;
        d.GetEntry("key")!.KeyPosition.Should().Be(PlistPosition.AtByte(8 + 3));
        d["key"]!.Position.Should().Be(PlistPosition.AtByte(8 + 3 + 4));
    }

    [Fact]
    public void Refuses_a_self_referencing_array()
    {
        var b = new BplistBuilder();
        b.Array(0);
        Fails(() => Read(b.Build(), "cycle.plist"), "cycle.plist", "byte 0x8", "object #0: reference cycle");
    }

    [Fact]
    public void Refuses_a_dict_cycle_through_another_object()
    {
        var b = new BplistBuilder();
        b.Dict((1, 2));       // #0 { k = #2 }
        b.Ascii("k");         // #1
        b.Array(3);           // #2 [ #3 ]
        b.Dict((1, 0));       // #3 { k = #0 }  -> back to the root
        Fails(() => Read(b.Build(), "cycle.plist"), "cycle.plist", "byte 0x8", "object #0: reference cycle");
    }

    [Fact]
    public void Refuses_a_reference_past_the_object_count()
    {
        var b = new BplistBuilder();
        b.Array(0x7F);
        Fails(() => Read(b.Build(), "ref.plist"), "ref.plist", "byte 0x9", "object #0: reference 0 points to object #127, but there are only 1 objects");
    }

    [Fact]
    public void Refuses_a_non_string_dict_key()
    {
        var b = new BplistBuilder();
        b.Dict((1, 1));
        b.Int(3, 1);
        Fails(() => Read(b.Build(), "key.plist"), "key.plist", "byte 0x8", "object #0: dict key 0 (object #1) is a integer, not a string");
    }

    [Fact]
    public void Refuses_an_object_offset_outside_the_object_area()
    {
        var b = new BplistBuilder();
        b.Bool(true);
        var bytes = b.Build();
        // The offset table is the byte right after the single object (at 8); point the entry at the trailer.
        bytes[9] = 0xF0;
        Fails(() => Read(bytes, "off.plist"), "off.plist", "byte 0x9", "object #0 has offset 0xf0, outside the object area 0x8–0x8");
    }

    [Fact]
    public void Refuses_a_huge_declared_count_without_allocating()
    {
        var b = new BplistBuilder();
        // An array claiming 2^62 elements, and a data object claiming int.MaxValue bytes, in a 50-byte file.
        b.Raw([0xAF, 0x13, 0x40, 0, 0, 0, 0, 0, 0, 0]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Fails(() => Read(b.Build(), "huge.plist"), "huge.plist", "byte 0x8", "object #0: length 4611686018427387904 is too large");

        var c = new BplistBuilder();
        c.Raw([0x4F, 0x12, 0x7F, 0xFF, 0xFF, 0xFF]);
        Fails(() => Read(c.Build(), "huge.plist"), "huge.plist", "byte 0x8",
            "object #0: declares 2147483647 elements of 1 bytes but only 0 bytes remain before the offset table");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(10_000_000, "nothing the size of the claimed count was allocated");
    }

    [Fact]
    public void Refuses_a_huge_object_count_in_the_trailer_before_allocating()
    {
        var b = new BplistBuilder();
        b.Bool(true);
        var bytes = b.Build(patchTrailer: t => BinaryPrimitives.WriteUInt64BigEndian(t.AsSpan(8), 1UL << 40));
        long trailer = bytes.Length - 32;
        Fails(() => Read(bytes, "count.plist"), "count.plist", $"byte 0x{trailer + 8:x}", "bad trailer: object count 1099511627776 is more than the limit of 1000000");

        var fits = b.Build(patchTrailer: t => BinaryPrimitives.WriteUInt64BigEndian(t.AsSpan(8), 900_000));
        Fails(() => Read(fits, "count.plist"), "count.plist", $"byte 0x{trailer + 8:x}", "bad trailer: object count 900000 needs 900000×1 offset-table bytes but only 1 are there");
    }

    [Theory]
    [InlineData(6, 0, "offset size 0 is not 1 to 8 bytes")]
    [InlineData(7, 9, "object reference size 9 is not 1 to 8 bytes")]
    [InlineData(23, 5, "top object #5 is not below the object count 1")]
    [InlineData(31, 3, "offset table offset 0x3 is not between the header and the trailer")]
    public void Refuses_a_bad_trailer(int field, byte value, string problem)
    {
        var b = new BplistBuilder();
        b.Bool(true);
        var bytes = b.Build(patchTrailer: t => t[field] = value);
        var error = FluentActions.Invoking(() => Read(bytes, "t.plist")).Should().Throw<PlistFormatException>().Which;
        error.Message.Should().StartWith("t.plist: byte 0x").And.EndWith("bad trailer: " + problem);
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, "object #0: null object (marker 0x00) has no plist value")]
    [InlineData(new byte[] { 0x0F }, "object #0: fill byte (marker 0x0f) where an object was expected")]
    [InlineData(new byte[] { 0x15 }, "object #0: integer of 2^5 bytes is not supported (at most 16)")]
    [InlineData(new byte[] { 0x13, 0, 0 }, "object #0: integer of 8 bytes runs past the object area")]
    [InlineData(new byte[] { 0x24 }, "object #0: real of 2^4 bytes is not supported (only 4 or 8)")]
    [InlineData(new byte[] { 0x33, 0x7F, 0xF0, 0, 0, 0, 0, 0, 0 }, "object #0: date of Infinity seconds since 2001-01-01 is out of range")]
    [InlineData(new byte[] { 0x59, (byte)'a' }, "object #0: declares 9 elements of 1 bytes but only 1 bytes remain")]
    [InlineData(new byte[] { 0x5F, 0x50 }, "object #0: length marker 0x50 after 0x5f is not a 1 to 8-byte integer")]
    [InlineData(new byte[] { 0x89, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "object #0: UID of 10 bytes does not fit in 64 bits")]
    [InlineData(new byte[] { 0x90 }, "object #0: unknown object marker 0x90")]
    [InlineData(new byte[] { 0xE0 }, "object #0: unknown object marker 0xe0")]
    public void Refuses_bad_objects_naming_offset_and_index(byte[] encoded, string problem)
    {
        var b = new BplistBuilder();
        b.Raw(encoded);
        var error = FluentActions.Invoking(() => Read(b.Build(), "o.plist")).Should().Throw<PlistFormatException>().Which;
        error.Message.Should().StartWith("o.plist: byte 0x").And.Contain(problem);
        error.Position.Offset.Should().BeGreaterThanOrEqualTo(8);
    }

    [Fact]
    public void Refuses_nesting_deeper_than_the_limit()
    {
        var b = new BplistBuilder { RefSize = 2 };
        for (int i = 0; i < 30; i++) b.Array(i + 1);
        b.Bool(true);
        Fails(() => Read(b.Build(), "deep.plist", new PlistReaderOptions { MaxDepth = 10 }), "deep.plist", "byte 0x26", "object #10: nesting deeper than the limit of 10");
        Read(b.Build()).Root.Should().BeOfType<PlistArray>();
    }

    [Theory]
    [InlineData("bplist", "binary plist is only 6 bytes")]
    [InlineData("bplist15xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "unsupported binary plist version '15'")]
    [InlineData("bplist00", "binary plist is only 8 bytes, too short")]
    public void Refuses_short_or_unknown_headers(string text, string problem)
    {
        FluentActions.Invoking(() => Read(System.Text.Encoding.ASCII.GetBytes(text)))
            .Should().Throw<PlistFormatException>().Which.Message.Should().Contain(problem);
    }

    [Fact]
    public void Encoded_tree_round_trips_through_the_reader()
    {
        var tree = PlistAssert.ReadXmlBody("""
            <dict><key>a</key><array><integer>-9223372036854775808</integer><integer>18446744073709551615</integer>
            <real>nan</real><string>ünï</string><data>AAE=</data><date>1999-12-31T23:59:59Z</date></array>
            <key>ключ</key><dict/></dict>
            """);
        var binary = Read(BplistBuilder.Encode(tree)).Root;
        binary.ContentEquals(tree).Should().BeTrue();
        // And the comparison can fail: change one leaf.
        var other = PlistAssert.ReadXmlBody("<dict><key>a</key><array/><key>ключ</key><dict/></dict>");
        Read(BplistBuilder.Encode(other)).Root.ContentEquals(tree).Should().BeFalse();
    }
}
