using System.Net.Sockets;
using Mstg.IO;

namespace Mstg.Tls;

public enum TransportEnd { Open, Eof, Reset }

/// <summary>
/// Sits between the client socket and the server-side SslStream. It first replays the bytes already consumed
/// while sniffing, and keeps a bounded copy of everything the client sends during the handshake, so that after
/// a failed handshake the client's own alert record (plaintext up to TLS 1.2) can be read back, and a close can
/// be told apart from a reset.
/// </summary>
public sealed class HandshakeTapStream(Stream inner, byte[] replay, int captureLimit = 32 * 1024) : DuplexPassThroughStream(inner)
{
    private readonly MemoryStream _captured = new();
    private int _replayOffset;
    private bool _recording = true;

    public TransportEnd End { get; private set; } = TransportEnd.Open;

    /// <summary>Everything the client sent before <see cref="StopRecording"/> (bounded), starting with the ClientHello.</summary>
    public byte[] CapturedInbound => _captured.ToArray();

    public void StopRecording() => _recording = false;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        if (_replayOffset < replay.Length)
        {
            n = Math.Min(buffer.Length, replay.Length - _replayOffset);
            replay.AsMemory(_replayOffset, n).CopyTo(buffer);
            _replayOffset += n;
        }
        else
        {
            try
            {
                n = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsReset(e))
            {
                End = TransportEnd.Reset;
                throw;
            }
            if (n == 0) End = TransportEnd.Eof;
        }
        if (_recording && n > 0 && _captured.Length < captureLimit)
            _captured.Write(buffer.Span[..Math.Min(n, captureLimit - (int)_captured.Length)]);
        return n;
    }

    private static bool IsReset(Exception e) =>
        (e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await Inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsReset(e))
        {
            End = TransportEnd.Reset; // a write into a reset connection (EPIPE/ECONNRESET) is the same signal
            throw;
        }
    }
}

/// <summary>Finds a plaintext alert record in captured client bytes.</summary>
public static class AlertScanner
{
    /// <summary>Returns (level, description) of the first unencrypted alert, or null.</summary>
    public static (int Level, int Description)? FindPlaintextAlert(ReadOnlySpan<byte> records)
    {
        var offset = 0;
        while (records.Length - offset >= 5)
        {
            var type = records[offset];
            var length = (records[offset + 3] << 8) | records[offset + 4];
            // An encrypted alert is longer than 2 bytes (MAC/tag), so length 2 means we can read it.
            if (type == 21 && length == 2 && records.Length - offset >= 7)
                return (records[offset + 5], records[offset + 6]);
            if (type is < 20 or > 24) return null; // not a TLS record stream any more
            offset += 5 + length;
        }
        return null;
    }
}
