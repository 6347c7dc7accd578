using System.Text;

namespace Mstg.Proxy.Hosting;

/// <summary>
/// The last <see cref="Capacity"/> characters of a text stream (a child's stderr): enough to explain a failure,
/// bounded however much a long run writes.
/// </summary>
public sealed class TextTail(int capacity = TextTail.DefaultCapacity)
{
    public const int DefaultCapacity = 64 * 1024;

    private readonly object _gate = new();
    private readonly StringBuilder _text = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Characters dropped from the front so far.</summary>
    public long Dropped { get; private set; }

    public void AppendLine(string line)
    {
        lock (_gate)
        {
            _text.Append(line).Append('\n');
            // Trim in halves of the capacity, so a chatty child costs amortised O(1) per character.
            if (_text.Length > Capacity * 3 / 2 || _text.Length > Capacity + 8192)
            {
                var cut = _text.Length - Capacity;
                _text.Remove(0, cut);
                Dropped += cut;
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            var start = Math.Max(0, _text.Length - Capacity);
            var dropped = Dropped + start;
            var tail = _text.ToString(start, _text.Length - start);
            return dropped > 0 ? $"[{dropped} earlier characters dropped]\n{tail}" : tail;
        }
    }
}
