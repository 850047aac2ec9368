using System.Buffers;
using System.Text.Json;
using Arc.Sdk;
using Arc.Types;
using MessagePack;

namespace Arc.Datasets;

/// <summary>
/// The base of every <c>[Processor]</c> class: fitted on the training split (<see cref="Fit"/>), then turns raw inputs
/// and targets into X and Y the same way for every split and at prediction time. Its parameters and fitted state are
/// data: the generator writes their formatters, so <c>processor.arc</c> holds no code and no type names from which
/// anything is created (docs/datasets.md, "Processors").
/// </summary>
/// <typeparam name="TRawX">Raw inputs (images in raw units, texts, …).</typeparam>
/// <typeparam name="TRawY">Raw targets (one class name per sample, …).</typeparam>
/// <typeparam name="X">The model's inputs.</typeparam>
/// <typeparam name="Y">The model's targets.</typeparam>
/// <typeparam name="TState">
/// The fitted state: a type with one public constructor whose parameters (numbers, strings, arrays and lists of them,
/// Arc data types) have properties of the same name in PascalCase, such as a positional record.
/// </typeparam>
public abstract class DatasetProcessor<TRawX, TRawY, X, Y, TState> : IDatasetProcessor, IProcessor<TRawX, TRawY, X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
    where TState : class
{
    private TState? _state;

    /// <summary>The processor's type name (the <c>[Processor]</c> name), in meta.json and processor.arc (generated).</summary>
    public virtual string TypeName => throw NotGenerated();

    /// <summary>Whether <see cref="Fit"/> ran or the state was loaded.</summary>
    public bool IsFitted => _state is not null;

    /// <summary>The fitted state.</summary>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public TState State => _state ?? throw new InvalidOperationException(
        $"processor {TypeName} is not fitted: call Fit with the training split first, or load a fitted one from its dataset version");

    /// <summary>Fits the processor on the training split (a vocabulary, per-channel moments, class names), replacing any earlier state.</summary>
    public void Fit(TRawX inputs, TRawY targets)
        => _state = FitState(inputs, targets) ?? throw new InvalidOperationException($"processor {TypeName} fitted no state (FitState returned null)");

    /// <summary>Computes the fitted state from the training split.</summary>
    protected abstract TState FitState(TRawX inputs, TRawY targets);

    /// <inheritdoc />
    public abstract X ProcessInputs(TRawX inputs);

    /// <inheritdoc />
    public abstract Y ProcessTargets(TRawY targets);

    /// <summary>Both halves of a split: <see cref="ProcessInputs"/> and <see cref="ProcessTargets"/>.</summary>
    public Batch<X, Y> Process(TRawX inputs, TRawY targets) => new(ProcessInputs(inputs), ProcessTargets(targets));

    // The three wire hooks and TypeName are generated for a [Processor] class. They are virtual rather than abstract so
    // that a class whose generation failed shows only its ARC diagnostic, not compiler errors for missing members.

    /// <summary>Writes the constructor's arguments (generated from the public constructor).</summary>
    protected virtual void WriteParametersWire(ref MessagePackWriter writer) => throw NotGenerated();

    /// <summary>Writes a fitted state (generated from <typeparamref name="TState"/>'s constructor).</summary>
    protected virtual void WriteStateWire(ref MessagePackWriter writer, TState state) => throw NotGenerated();

    /// <summary>Reads a fitted state (generated).</summary>
    protected virtual TState ReadStateWire(ref MessagePackReader reader) => throw NotGenerated();

    private InvalidOperationException NotGenerated() => new(
        $"{GetType().FullName} has no generated processor code: mark it [Processor] (Arc.Datasets), make it partial and fix the ARC diagnostics the build reports for it");

    /// <summary>The parameters as one JSON object, for meta.json (converted from their wire form, so the two never disagree).</summary>
    public void WriteParameters(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        WriteParametersWire(ref writer);
        writer.Flush();
        json.WriteRawValue(MessagePackSerializer.ConvertToJson(buffer.WrittenMemory));
    }

    /// <summary>The bytes of <c>processor.arc</c>: type name, parameters and fitted state (ProcessorStateFile).</summary>
    /// <exception cref="InvalidOperationException">Not fitted.</exception>
    public byte[] ToStateBytes()
    {
        var state = State;
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        ProcessorStateFile.WriteHeader(ref writer, TypeName);
        writer.Write(ProcessorStateFile.ParametersKey);
        WriteParametersWire(ref writer);
        writer.Write(ProcessorStateFile.StateKey);
        WriteStateWire(ref writer, state);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public async ValueTask WriteStateAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await destination.WriteAsync(ToStateBytes(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the fitted state from its wire form (called by the generated <c>Load</c>).</summary>
    /// <param name="state">The <c>state</c> member of processor.arc.</param>
    /// <param name="file">The file it came from, for errors.</param>
    /// <exception cref="DatasetFormatException">The state is not what this processor writes.</exception>
    protected void RestoreState(ReadOnlyMemory<byte> state, string file)
    {
        var reader = new MessagePackReader(state);
        try
        {
            _state = ReadStateWire(ref reader) ?? throw new ArcFormatException("the state is nil");
        }
        catch (Exception e) when (ProcessorStateFile.IsWireError(e))
        {
            throw new DatasetFormatException(file, $"holds a fitted state that processor {TypeName} cannot read: {e.Message}", e);
        }
    }
}
