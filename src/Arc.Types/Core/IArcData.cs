using MessagePack;

namespace Arc.Types;

/// <summary>A batch of samples: the first dimension of every part is <see cref="Count"/> (N).</summary>
public interface IArcData
{
    /// <summary>Number of samples in the batch (N).</summary>
    int Count { get; }
}

/// <summary>
/// A batch type Arc can slice, gather, concatenate and carry over the wire. Built-in types implement it;
/// users add their own data types by implementing it (the static members give the wire form without reflection).
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IArcData<TSelf> : IArcData where TSelf : IArcData<TSelf>
{
    /// <summary>The type tag written under the <c>arc</c> key of the wire form, e.g. <c>image</c>.</summary>
    static abstract string WireTag { get; }

    /// <summary>Samples <paramref name="start"/> .. <paramref name="start"/>+<paramref name="count"/>-1 as a new batch.</summary>
    TSelf Slice(int start, int count);

    /// <summary>The samples at <paramref name="indices"/>, in that order (used to shuffle).</summary>
    TSelf Take(ReadOnlySpan<int> indices);

    /// <summary>Joins batches along the first dimension; all parts must agree on everything else.</summary>
    static abstract TSelf Concat(IReadOnlyList<TSelf> batches);

    /// <summary>Writes the whole wire form (one MessagePack map, tag included).</summary>
    static abstract void WriteWire(ref MessagePackWriter writer, TSelf value);

    /// <summary>Reads one wire-form map; throws <see cref="ArcFormatException"/> for anything malformed.</summary>
    static abstract TSelf ReadWire(ref MessagePackReader reader);
}
