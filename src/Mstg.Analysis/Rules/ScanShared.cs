using System.Collections.Concurrent;

namespace Mstg.Analysis.Rules;

/// <summary>
/// Data read once per scan and shared by the rules of every bundle (today the advisory database). Items are keyed by
/// their type so this shared plumbing needs no reference to the rule families that own the data: the scanner adds them
/// before the first bundle is read, and a context built without a scanner (a test) loads them on first use.
/// </summary>
public sealed class ScanShared
{
    private readonly ConcurrentDictionary<Type, object> _items = new();

    /// <summary>Stores <paramref name="item"/> as the scan's one <typeparamref name="T"/>.</summary>
    public void Set<T>(T item) where T : class => _items[typeof(T)] = item;

    /// <summary>The scan's <typeparamref name="T"/>, made by <paramref name="load"/> when nothing was stored yet.</summary>
    public T GetOrAdd<T>(Func<T> load) where T : class => (T)_items.GetOrAdd(typeof(T), _ => load());
}
