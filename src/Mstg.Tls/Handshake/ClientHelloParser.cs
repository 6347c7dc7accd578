using System.Buffers.Binary;
using System.Text;

namespace Mstg.Tls;

public enum SniffKind { NeedMore, TlsClientHello, Http, Other, Invalid }

/// <summary>Outcome of looking at the first bytes of a tunnel.</summary>
public sealed record SniffResult(SniffKind Kind, ClientHelloInfo? Hello = null, string? Problem = null)
{
    public static readonly SniffResult NeedMore = new(SniffKind.NeedMore);
}

/// <summary>
/// Parses a TLS ClientHello from the raw bytes of a tunnel, possibly split over several handshake records.
/// Total length is bounded (<see cref="MaxHelloBytes"/>) so a hostile client cannot make us buffer without end.
/// </summary>
public static class ClientHelloParser
{
    public const int MaxHelloBytes = 64 * 1024;

    private static readonly string[] HttpMethods = ["GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "];

    public static bool IsGrease(ushort v) => (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);

    /// <summary>Classifies the bytes seen so far; NeedMore means read more and call again.</summary>
    public static SniffResult Sniff(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return SniffResult.NeedMore;
        if (data[0] == 0x16) return ParseRecords(data);
        var text = Encoding.ASCII.GetString(data[..Math.Min(data.Length, 8)]);
        foreach (var method in HttpMethods)
        {
            if (text.StartsWith(method, StringComparison.Ordinal)) return new SniffResult(SniffKind.Http);
            if (method.StartsWith(text, StringComparison.Ordinal) && data.Length < method.Length) return SniffResult.NeedMore;
        }
        return new SniffResult(SniffKind.Other);
    }

    private static SniffResult ParseRecords(ReadOnlySpan<byte> data)
    {
        // Gather the handshake-layer bytes from consecutive handshake records.
        var handshake = new List<byte>();
        var offset = 0;
        ushort recordVersion = 0;
        while (true)
        {
            if (data.Length - offset < 5) return SniffResult.NeedMore;
            if (data[offset] != 0x16)
                return new SniffResult(SniffKind.Invalid, Problem: $"record type {data[offset]} inside ClientHello");
            var version = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 1)..]);
            if (offset == 0) recordVersion = version;
            if (version >> 8 != 3) return new SniffResult(SniffKind.Invalid, Problem: $"record version 0x{version:x4}");
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 3)..]);
            if (length == 0 || length > 16384 + 2048) return new SniffResult(SniffKind.Invalid, Problem: $"record length {length}");
            if (data.Length - offset - 5 < length) return SniffResult.NeedMore;
            handshake.AddRange(data.Slice(offset + 5, length).ToArray());
            offset += 5 + length;
            if (handshake.Count >= 4)
            {
                if (handshake[0] != 1) return new SniffResult(SniffKind.Invalid, Problem: $"handshake type {handshake[0]}, not ClientHello");
                var bodyLength = (handshake[1] << 16) | (handshake[2] << 8) | handshake[3];
                if (bodyLength + 4 > MaxHelloBytes)
                    return new SniffResult(SniffKind.Invalid, Problem: $"ClientHello of {bodyLength} bytes exceeds {MaxHelloBytes}");
                if (handshake.Count >= bodyLength + 4)
                {
                    var body = handshake.GetRange(4, bodyLength).ToArray();
                    try { return new SniffResult(SniffKind.TlsClientHello, ParseBody(body, recordVersion, bodyLength + 4)); }
                    catch (FormatException e) { return new SniffResult(SniffKind.Invalid, Problem: e.Message); }
                }
            }
            if (offset > MaxHelloBytes + 5 * 8)
                return new SniffResult(SniffKind.Invalid, Problem: "ClientHello too large");
        }
    }

    private static ClientHelloInfo ParseBody(byte[] body, ushort recordVersion, int totalLength)
    {
        var r = new Reader(body, "ClientHello");
        var legacyVersion = r.U16();
        r.Skip(32);                         // random
        r.Skip(r.U8());                     // legacy_session_id
        var suites = Filter(r.Sub(r.U16(), "cipher_suites").U16List());
        r.Skip(r.U8());                     // legacy_compression_methods
        string? sni = null;
        List<ushort> versions = [], groups = [], sigAlgs = [], extTypes = [];
        List<string> alpn = [];
        if (r.Remaining > 0)
        {
            var exts = r.Sub(r.U16(), "extensions");
            while (exts.Remaining > 0)
            {
                var type = exts.U16();
                var ext = exts.Sub(exts.U16(), $"extension {type}");
                if (IsGrease(type)) continue;
                extTypes.Add(type);
                switch (type)
                {
                    case 0: // server_name
                        var list = ext.Sub(ext.U16(), "server_name_list");
                        while (list.Remaining > 0)
                        {
                            var nameType = list.U8();
                            var name = list.Bytes(list.U16());
                            if (nameType == 0) sni ??= Encoding.ASCII.GetString(name);
                        }
                        break;
                    case 10: groups = Filter(ext.Sub(ext.U16(), "supported_groups").U16List()); break;
                    case 13: sigAlgs = Filter(ext.Sub(ext.U16(), "signature_algorithms").U16List()); break;
                    case 16:
                        var protos = ext.Sub(ext.U16(), "alpn");
                        while (protos.Remaining > 0) alpn.Add(Encoding.ASCII.GetString(protos.Bytes(protos.U8())));
                        break;
                    case 43: versions = Filter(ext.Sub(ext.U8(), "supported_versions").U16List()); break;
                }
            }
        }
        return new ClientHelloInfo(recordVersion, legacyVersion, sni, versions, suites, groups, sigAlgs, alpn, extTypes, totalLength);
    }

    private static List<ushort> Filter(List<ushort> values) => values.Where(v => !IsGrease(v)).ToList();

    /// <summary>Bounds-checked big-endian reader; every overrun becomes a FormatException naming the field.</summary>
    private sealed class Reader(byte[] buffer, string what, int start = 0, int? end = null)
    {
        private int _pos = start;
        private readonly int _end = end ?? buffer.Length;

        public int Remaining => _end - _pos;

        private void Need(int n)
        {
            if (n < 0 || Remaining < n) throw new FormatException($"{what} truncated at byte {_pos} (needs {n}, has {Remaining})");
        }

        public byte U8() { Need(1); return buffer[_pos++]; }
        public ushort U16() { Need(2); var v = (ushort)((buffer[_pos] << 8) | buffer[_pos + 1]); _pos += 2; return v; }
        public void Skip(int n) { Need(n); _pos += n; }
        public byte[] Bytes(int n) { Need(n); var b = buffer.AsSpan(_pos, n).ToArray(); _pos += n; return b; }
        public Reader Sub(int n, string name) { Need(n); var sub = new Reader(buffer, name, _pos, _pos + n); _pos += n; return sub; }

        public List<ushort> U16List()
        {
            if (Remaining % 2 != 0) throw new FormatException($"{what} has odd length {Remaining}");
            var list = new List<ushort>(Remaining / 2);
            while (Remaining > 0) list.Add(U16());
            return list;
        }
    }
}
