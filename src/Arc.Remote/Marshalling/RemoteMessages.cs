namespace Arc.Remote;

/// <summary>The <c>Fit</c> request: one batch of inputs and targets, on the wire <c>{"x": X, "y": Y}</c>.</summary>
public sealed record FitRequest<X, Y>(X Inputs, Y Targets);

/// <summary>The <c>Fit</c> reply, on the wire <c>{"loss": double, "samples": int}</c>.</summary>
public sealed record FitReply(double Loss, int Samples);

/// <summary>A model's weights as one opaque blob, on the wire a MessagePack bin.</summary>
public sealed record WeightsPayload(ReadOnlyMemory<byte> Bytes);

/// <summary>No content: on the wire nil (an empty map is accepted too).</summary>
public sealed class EmptyMessage
{
    /// <summary>The one instance.</summary>
    public static EmptyMessage Instance { get; } = new();

    private EmptyMessage() { }
}

/// <summary>
/// The <c>Describe</c> reply, on the wire <c>{"name", "x", "y"}</c> plus an optional <c>"device"</c> and
/// <c>"contract"</c>: the model's name, its X/Y wire tags, where it computes (e.g. <c>cpu</c>, <c>cuda:0</c>) when the
/// model says, and its contract when it states one.
/// </summary>
public sealed record ModelDescription(string Name, string InputTag, string OutputTag, string? Device = null)
{
    /// <summary>The model's contract (<c>"contract"</c>, docs/remote-protocol.md), or null when it states none.</summary>
    public Arc.Types.DataContract? Contract { get; init; }
}

/// <summary>
/// A request of <c>/arc.Model/FitStreamShared</c>: one batch, either inline (<see cref="Inline"/>, on the wire
/// <c>{"x": X, "y": Y}</c> as a <c>Fit</c> request) or in a shared batch file of the call (on the wire
/// <c>{"slot": int, "length": int}</c>: the first <see cref="Length"/> bytes of file <see cref="Slot"/> in the call's
/// directory hold the batch's <c>{"x": X, "y": Y}</c> map). docs/remote-protocol.md describes the files.
/// </summary>
public sealed class SharedFitRequest<X, Y>
{
    private SharedFitRequest(FitRequest<X, Y>? inline, int slot, int length) => (Inline, Slot, Length) = (inline, slot, length);

    /// <summary>The batch itself when it travels inline; null when it is in a file.</summary>
    public FitRequest<X, Y>? Inline { get; }

    /// <summary>The file holding the batch (from 0); -1 when it travels inline.</summary>
    public int Slot { get; }

    /// <summary>How many bytes of the slot's file the batch takes; 0 when it travels inline.</summary>
    public int Length { get; }

    /// <summary>A batch sent inline.</summary>
    public static SharedFitRequest<X, Y> Of(FitRequest<X, Y> batch)
        => new(batch ?? throw new ArgumentNullException(nameof(batch)), -1, 0);

    /// <summary>A batch whose encoded <c>{"x", "y"}</c> map is the first <paramref name="length"/> bytes of file <paramref name="slot"/>.</summary>
    public static SharedFitRequest<X, Y> InSlot(int slot, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return new(null, slot, length);
    }
}
