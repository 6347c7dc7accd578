using System.Text;

namespace Mstg.Tls;

/// <summary>Builds synthetic ClientHellos for cases real clients never send (GREASE everywhere, odd splits).</summary>
public static class ClientHelloBuilder
{
    public static byte[] Build(string sni, ushort[]? suites = null, ushort[]? groups = null, ushort[]? versions = null, ushort? extraExtensionType = null)
    {
        var body = new List<byte> { 0x03, 0x03 };
        body.AddRange(new byte[32]);
        body.Add(0);
        var s = suites ?? [0x1301, 0xc02f];
        U16(body, s.Length * 2); foreach (var x in s) U16(body, x);
        body.AddRange([1, 0]);
        var ext = new List<byte>();
        var name = Encoding.ASCII.GetBytes(sni);
        Ext(ext, 0, [.. Be(name.Length + 3), 0, .. Be(name.Length), .. name]);
        if (groups is not null) Ext(ext, 10, [.. Be(groups.Length * 2), .. groups.SelectMany(Be)]);
        if (versions is not null) Ext(ext, 43, [(byte)(versions.Length * 2), .. versions.SelectMany(Be)]);
        if (extraExtensionType is { } t) Ext(ext, t, []);
        U16(body, ext.Count); body.AddRange(ext);
        var hs = new List<byte> { 1, 0, (byte)(body.Count >> 8), (byte)body.Count };
        hs.AddRange(body);
        return [0x16, 0x03, 0x01, (byte)(hs.Count >> 8), (byte)hs.Count, .. hs];
    }

    private static byte[] Be(int v) => [(byte)(v >> 8), (byte)v];
    private static byte[] Be(ushort v) => [(byte)(v >> 8), (byte)v];
    private static void U16(List<byte> l, int v) => l.AddRange(Be(v));

    private static void Ext(List<byte> l, ushort type, byte[] data)
    {
        U16(l, type);
        U16(l, data.Length);
        l.AddRange(data);
    }
}
