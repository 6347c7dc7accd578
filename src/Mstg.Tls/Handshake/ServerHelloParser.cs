namespace Mstg.Tls;

/// <summary>
/// Reads the version and cipher suite the origin chose from its ServerHello, so tunnelled (passthrough and
/// out-of-scope) connections still show what was negotiated (TLS &lt; 1.2, no forward secrecy).
/// </summary>
public static class ServerHelloParser
{
    /// <summary>Null while more bytes are needed or when the bytes are not a ServerHello.</summary>
    public static (ushort Version, ushort CipherSuite)? TryParse(ReadOnlySpan<byte> data, out bool giveUp)
    {
        giveUp = false;
        if (data.Length < 5) return null;
        if (data[0] != 0x16) { giveUp = true; return null; }
        var recordLength = (data[3] << 8) | data[4];
        if (data.Length < 5 + Math.Min(recordLength, 4)) return null;
        var hs = data.Slice(5, Math.Min(recordLength, data.Length - 5));
        if (hs.Length < 4) return null;
        if (hs[0] != 2) { giveUp = true; return null; }
        var bodyLength = (hs[1] << 16) | (hs[2] << 8) | hs[3];
        if (hs.Length < 4 + bodyLength)
        {
            if (recordLength < 4 + bodyLength) giveUp = true; // split across records: rare, not worth reassembling
            return null;
        }
        var body = hs.Slice(4, bodyLength);
        try
        {
            var pos = 0;
            var version = (ushort)((body[pos] << 8) | body[pos + 1]);
            pos += 2 + 32;
            pos += 1 + body[pos];
            var suite = (ushort)((body[pos] << 8) | body[pos + 1]);
            pos += 2 + 1;
            if (pos + 2 <= body.Length)
            {
                var extEnd = pos + 2 + ((body[pos] << 8) | body[pos + 1]);
                pos += 2;
                while (pos + 4 <= extEnd && extEnd <= body.Length)
                {
                    var type = (body[pos] << 8) | body[pos + 1];
                    var length = (body[pos + 2] << 8) | body[pos + 3];
                    if (type == 43 && length == 2) version = (ushort)((body[pos + 4] << 8) | body[pos + 5]);
                    pos += 4 + length;
                }
            }
            return (version, suite);
        }
        catch (IndexOutOfRangeException)
        {
            giveUp = true;
            return null;
        }
    }
}
