namespace Mstg.Tls.Raw;

/// <summary>Bounds-checked big-endian reader; every overrun is a <see cref="FormatException"/> naming the field.</summary>
internal sealed class WireReader(byte[] buffer, string what, int start = 0, int? end = null)
{
    private int _pos = start;
    private readonly int _end = end ?? buffer.Length;

    public int Remaining => _end - _pos;

    private void Need(int n)
    {
        if (n < 0 || Remaining < n) throw new FormatException($"{what} truncated (needs {n} bytes, has {Remaining})");
    }

    public byte U8() { Need(1); return buffer[_pos++]; }
    public ushort U16() { Need(2); var v = (ushort)((buffer[_pos] << 8) | buffer[_pos + 1]); _pos += 2; return v; }
    public int U24() { Need(3); var v = (buffer[_pos] << 16) | (buffer[_pos + 1] << 8) | buffer[_pos + 2]; _pos += 3; return v; }
    public void Skip(int n) { Need(n); _pos += n; }
    public byte[] Bytes(int n) { Need(n); var b = buffer.AsSpan(_pos, n).ToArray(); _pos += n; return b; }
    public WireReader Sub(int n, string name) { Need(n); var sub = new WireReader(buffer, name, _pos, _pos + n); _pos += n; return sub; }
}
