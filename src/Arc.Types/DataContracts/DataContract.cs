using System.Buffers;
using System.Text.Json;
using MessagePack;

namespace Arc.Types;

/// <summary>
/// A model's (or a job's) contract: what its X and its Y must look like (<see cref="ValueContract"/>, null for a side
/// it states nothing about). Checked at every boundary (docs/data-types.md, "Contracts"): a worker checks a request
/// after decoding it and before the model runs, a client before sending, the in-process wrapper before calling, and
/// <c>Trainer</c> and connecting by reference check a model's contract against the job's before any training.
/// </summary>
public sealed class DataContract : IEquatable<DataContract>
{
    /// <summary>No contract: every X and Y of the right type is accepted (what a model that states none gets).</summary>
    public static DataContract None { get; } = new(null, null);

    /// <summary>A contract over X (<paramref name="x"/>) and Y (<paramref name="y"/>), each null when free.</summary>
    public DataContract(ValueContract? x, ValueContract? y)
    {
        X = x;
        Y = y;
    }

    /// <summary>What X must look like, or null.</summary>
    public ValueContract? X { get; }

    /// <summary>What Y must look like (a model's output classes, a job's targets), or null.</summary>
    public ValueContract? Y { get; }

    /// <summary>Whether the contract states nothing.</summary>
    public bool IsEmpty => X is null && Y is null;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> on <paramref name="paramName"/> when <paramref name="x"/> does not fit
    /// <see cref="X"/>: <c>x does not fit the model's contract: expected image [N, 1, 28, 28] float32, received image [N, 3, 32, 32] uint8</c>.
    /// A null <paramref name="x"/> is left to the caller's null check.
    /// </summary>
    public void CheckX(IArcData? x, string paramName = "x")
    {
        if (X is null || x is null) return;
        if (X.Mismatch(x) is string received) throw Misfit(X, received, paramName);
    }

    /// <summary>As <see cref="CheckX"/>, for Y (the targets given to <c>Fit</c>).</summary>
    public void CheckY(IArcData? y, string paramName = "y")
    {
        if (Y is null || y is null) return;
        if (Y.Mismatch(y) is string received) throw Misfit(Y, received, paramName);
    }

    /// <summary>
    /// Null when a job with contract <paramref name="job"/> can feed a model with this contract: for each side both
    /// state, what both fix agrees. Otherwise why not (<c>x: it takes …, the job gives …</c>).
    /// </summary>
    public string? Conflict(DataContract job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var reasons = new List<string>(2);
        if (X is not null && job.X is not null && X.Conflict(job.X) is string x) reasons.Add("x: " + x);
        if (Y is not null && job.Y is not null && Y.Conflict(job.Y) is string y) reasons.Add("y: " + y);
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    /// <summary>The contract of <paramref name="instance"/> when it states one (<see cref="IContractInfo"/>), else <see cref="None"/>.</summary>
    public static DataContract Of(object? instance) => (instance as IContractInfo)?.Contract ?? None;

    /// <summary>The contract in words: <c>x: image [N, 1, 28, 28] float32; y: class names [a, b]</c>, or <c>none</c>.</summary>
    public override string ToString()
        => IsEmpty ? "none" : string.Join("; ", new[] { X is null ? null : "x: " + X, Y is null ? null : "y: " + Y }.Where(s => s is not null));

    /// <inheritdoc />
    public bool Equals(DataContract? other) => other is not null && Equals(X, other.X) && Equals(Y, other.Y);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DataContract);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(X, Y);

    /// <summary>
    /// Writes the wire form, a map <c>{"x": contract | nil, "y": contract | nil}</c> (what <c>Describe</c> carries under
    /// <c>"contract"</c>; docs/remote-protocol.md).
    /// </summary>
    public void WriteWire(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(2);
        writer.Write("x");
        if (X is null) writer.WriteNil(); else X.Write(ref writer);
        writer.Write("y");
        if (Y is null) writer.WriteNil(); else Y.Write(ref writer);
    }

    /// <summary>Reads the wire form with <see cref="WireReader"/>'s policy (unknown keys skipped, a repeated key refused).</summary>
    /// <exception cref="ArcFormatException">The bytes are not a contract.</exception>
    public static DataContract ReadWire(ref MessagePackReader reader, string path) => ContractWire.Read(ref reader, path);

    /// <summary>The JSON form: the wire form's maps as JSON objects, e.g. <c>{"x":{"kind":"text","max_length":512},"y":null}</c>.</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) WriteJson(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the JSON form.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("x");
        if (X is null) writer.WriteNullValue(); else X.Write(writer);
        writer.WritePropertyName("y");
        if (Y is null) writer.WriteNullValue(); else Y.Write(writer);
        writer.WriteEndObject();
    }

    /// <summary>Reads the JSON form (<see cref="ToJson"/>).</summary>
    /// <exception cref="FormatException">It is not a contract.</exception>
    public static DataContract FromJson(JsonElement json) => ContractJson.Read(json);

    /// <summary>Reads the JSON form from text.</summary>
    /// <exception cref="FormatException">It is not a contract.</exception>
    public static DataContract FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return ContractJson.Read(document.RootElement);
    }

    private static ArgumentException Misfit(ValueContract contract, string received, string paramName)
        => new($"{paramName} does not fit the model's contract: expected {contract}, received {received}", paramName);
}
