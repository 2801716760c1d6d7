using System.Collections;
using System.Runtime.CompilerServices;

namespace Telecare.Core.Calls;

/// <summary>
/// A call's append-only timeline. Every version of a call shares one buffer and sees the first <see cref="Count"/>
/// entries of it, so appending the thousandth entry costs what appending the first did: no version copies the
/// history. Only when an older version is appended to (two transitions tried from the same version, where the
/// store lets one win) is the history copied, so each version still reads exactly its own entries.
/// </summary>
[CollectionBuilder(typeof(CallTimeline), nameof(Create))]
public sealed class CallTimeline : IReadOnlyList<CallTimelineEntry>
{
    public static readonly CallTimeline Empty = new(new Buffer(), 0);

    private readonly Buffer _buffer;

    private CallTimeline(Buffer buffer, int count)
    {
        _buffer = buffer;
        Count = count;
    }

    public int Count { get; }

    public CallTimelineEntry this[int index] =>
        (uint)index < (uint)Count ? _buffer.Items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public static CallTimeline Create(ReadOnlySpan<CallTimelineEntry> entries)
    {
        var buffer = new Buffer();
        foreach (var entry in entries)
        {
            buffer.TryAppend(buffer.Count, entry);
        }

        return new CallTimeline(buffer, buffer.Count);
    }

    /// <summary>This timeline with <paramref name="entry"/> after its last entry; this one is unchanged.</summary>
    public CallTimeline Add(CallTimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_buffer.TryAppend(Count, entry))
        {
            return new CallTimeline(_buffer, Count + 1);
        }

        // Someone appended to this version already: branch off with a copy of just this version's entries.
        var copy = Create(_buffer.Items.AsSpan(0, Count));
        copy._buffer.TryAppend(Count, entry);
        return new CallTimeline(copy._buffer, Count + 1);
    }

    public IEnumerator<CallTimelineEntry> GetEnumerator()
    {
        var items = _buffer.Items;
        for (var i = 0; i < Count; i++)
        {
            yield return items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The shared entries. Appends are serialised; a reader takes the array reference once and reads only indexes
    /// below its own count, which were written before that count was published.
    /// </summary>
    private sealed class Buffer
    {
        private readonly Lock _sync = new();
        private CallTimelineEntry[] _items = new CallTimelineEntry[4];

        public CallTimelineEntry[] Items => Volatile.Read(ref _items);

        public int Count { get; private set; }

        /// <summary>Appends when <paramref name="at"/> is the end of the buffer; false when another version got there first.</summary>
        public bool TryAppend(int at, CallTimelineEntry entry)
        {
            lock (_sync)
            {
                if (at != Count)
                {
                    return false;
                }

                var items = _items;
                if (Count == items.Length)
                {
                    Array.Resize(ref items, items.Length * 2);
                }

                items[Count] = entry;
                Volatile.Write(ref _items, items);
                Count++;
                return true;
            }
        }
    }
}
