using System.Text.Json;

namespace Arc.Serving;

/// <summary>
/// A <see cref="Utf8JsonReader"/> over one JSON text that can be moved past a part read some other way: the infer
/// request's reader hands a tensor's number array to <see cref="OipNumberArray"/> and then carries on after it.
/// </summary>
internal ref struct JsonCursor
{
    private int _origin; // where the reader's span starts in Json

    public JsonCursor(ReadOnlySpan<byte> json)
    {
        Json = json;
        Reader = new Utf8JsonReader(json);
    }

    /// <summary>The whole JSON text.</summary>
    public ReadOnlySpan<byte> Json { get; }

    /// <summary>The reader; read with it through <c>ref cursor.Reader</c>.</summary>
    public Utf8JsonReader Reader;

    /// <summary>The index in <see cref="Json"/> of the first byte the reader has not read.</summary>
    public readonly int Position => _origin + (int)Reader.BytesConsumed;

    /// <summary>
    /// Moves the reader, which stands on an array's <c>[</c>, onto the array's closing <c>]</c> at <paramref name="end"/>,
    /// as if it had read every value in between (they were read, and checked, by the caller).
    /// </summary>
    /// <remarks>
    /// A reader made over the rest of the text with the reader's state goes on from the <c>[</c>: to it the array is
    /// empty, so its depth, its place inside the enclosing object and the check of the rest of the text are those of
    /// a reader that went through the values one by one.
    /// </remarks>
    public void SkipTo(int end)
    {
        var state = Reader.CurrentState;
        _origin = end;
        Reader = new Utf8JsonReader(Json[end..], isFinalBlock: true, state);
        Reader.Read(); // the ']'
    }
}
