using System.Numerics;
using System.Text;

namespace Mstg.Plist.Tests.Differential;

/// <summary>
/// A crafted XML plist holding every value type plistutil can express, converted to binary by plistutil: its
/// output exercises our binary reader on a real writer's choices (16-byte ints for values over 2^63, 4-byte reals,
/// UTF-16 strings for non-ASCII text, extended lengths).
/// </summary>
public sealed class CraftedDifferentialTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mstg-plist-crafted-").FullName;

    private const string AllTypes = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        <plist version="1.0">
        <dict>
            <key>uid</key><dict><key>CF$UID</key><integer>7</integer></dict>
            <key>big</key><integer>18446744073709551615</integer>
            <key>min</key><integer>-9223372036854775808</integer>
            <key>hex</key><integer>0x10</integer>
            <key>small</key><integer>200</integer>
            <key>mid</key><integer>70000</integer>
            <key>real</key><real>3.25</real>
            <key>pi</key><real>3.141592653589793</real>
            <key>nan</key><real>nan</real>
            <key>inf</key><real>+infinity</real>
            <key>date</key><date>2020-02-29T12:00:01Z</date>
            <key>old</key><date>1970-01-01T00:00:00Z</date>
            <key>data</key><data>AAECAwQF</data>
            <key>uni</key><string>Привет © ✓</string>
            <key>long</key><string>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</string>
            <key>empty</key><string></string>
            <key>t</key><true/><key>f</key><false/>
            <key>arr</key><array><integer>1</integer><array/><dict/><string>x</string></array>
        </dict>
        </plist>
        """;

    [Fact]
    public void Plistutil_binary_of_every_xml_type_reads_the_same()
    {
        var xmlPath = Path.Combine(_work, "all.plist");
        var binPath = Path.Combine(_work, "all.bplist");
        File.WriteAllText(xmlPath, AllTypes);
        Plistutil.Convert(xmlPath, binPath, "bin").Should().Be(new Plistutil.Result(true, ""));

        var xml = PlistReader.ReadFile(xmlPath);
        var binary = PlistReader.ReadFile(binPath);
        binary.Format.Should().Be(PlistFormat.Binary);
        binary.Root.ContentEquals(xml.Root).Should().BeTrue();

        // The encodings we meant to exercise really are in plistutil's output.
        var bytes = File.ReadAllBytes(binPath);
        bytes.Should().Contain(0x14, "a 16-byte integer holds 2^64-1");
        bytes.Should().Contain(0x22, "a 4-byte real holds 3.25");
        bytes.Should().Contain(0x33, "a date");
        bytes.Should().Contain(0x6A, "a 10-char UTF-16 string");
        bytes.Should().Contain(0x5F, "an ASCII string with an extended length");

        var root = (PlistDict)binary.Root;
        ((PlistInteger)root["big"]!).Value.Should().Be(new BigInteger(ulong.MaxValue));
        ((PlistInteger)root["min"]!).Value.Should().Be(long.MinValue);
        ((PlistString)root["uni"]!).Value.Should().Be("Привет © ✓");
        double.IsNaN(((PlistReal)root["nan"]!).Value).Should().BeTrue();
        ((PlistDate)root["old"]!).Value.Should().Be(DateTimeOffset.UnixEpoch);
        // libplist keeps a CF$UID dict a dict, just as we do.
        root["uid"].Should().BeOfType<PlistDict>();
    }

    [Fact]
    public void A_changed_value_is_noticed_by_the_comparison()
    {
        // Guard against a comparison that cannot fail: one changed leaf must make the trees differ.
        var xmlPath = Path.Combine(_work, "a.plist");
        var binPath = Path.Combine(_work, "b.bplist");
        File.WriteAllText(xmlPath, AllTypes.Replace("<integer>70000</integer>", "<integer>70001</integer>"));
        Plistutil.Convert(xmlPath, binPath, "bin").Ok.Should().BeTrue();

        var original = PlistReader.Read(Encoding.UTF8.GetBytes(AllTypes), "orig.plist");
        PlistReader.ReadFile(binPath).Root.ContentEquals(original.Root).Should().BeFalse();
    }

    [Fact]
    public void Plistutil_renders_our_hand_built_uids_128_bit_ints_and_utf16_strings_and_we_read_its_xml_back()
    {
        // Checks our hand-built encoding is one a real reader accepts, and that it renders a UID as a CF$UID dict.
        // (Sets are left out: libplist 2.2 renders a binary set as an empty <plist/>, so it is no oracle for them.)
        var b = new Binary.BplistBuilder();
        int uid = b.Uid(5, 1);
        int str = b.Utf16("ключ");
        int big = b.Int(BigInteger.Pow(2, 64) - 1, 16);
        int arr = b.Array(uid, str, big);
        var binPath = Path.Combine(_work, "hand.bplist");
        var xmlPath = Path.Combine(_work, "hand.plist");
        File.WriteAllBytes(binPath, b.Build(arr));
        Plistutil.Convert(binPath, xmlPath, "xml").Should().Be(new Plistutil.Result(true, ""));

        var ours = (PlistArray)PlistReader.ReadFile(binPath).Root;
        ours[0].Should().BeOfType<PlistUid>().Which.Value.Should().Be(5UL);
        var theirs = (PlistArray)PlistReader.ReadFile(xmlPath).Root;
        theirs[0].Should().BeOfType<PlistDict>().Which["CF$UID"].Should().BeOfType<PlistInteger>().Which.Value.Should().Be(5);
        theirs[1].ContentEquals(ours[1]).Should().BeTrue();
        theirs[2].ContentEquals(ours[2]).Should().BeTrue();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
