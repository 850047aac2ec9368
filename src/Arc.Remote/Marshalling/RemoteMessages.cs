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
