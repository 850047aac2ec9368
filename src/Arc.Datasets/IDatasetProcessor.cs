using System.Text.Json;

namespace Arc.Datasets;

/// <summary>
/// The processor that turned raw data into a dataset's X and Y, kept beside the arrays so that new data can go
/// through the same transformations: its type name and parameters in meta.json, its fitted state (a vocabulary,
/// per-channel means, …) in <c>processor.arc</c>, all covered by the content hash.
/// </summary>
/// <remarks>
/// This is the slot only. <c>[Processor]</c> classes, whose parameters and state the generator will serialize (data,
/// never code or type names from the payload), are not written yet; until then a hand-written implementation fills it.
/// </remarks>
public interface IDatasetProcessor
{
    /// <summary>The processor's type name, recorded in meta.json and checked when the state is read back.</summary>
    string TypeName { get; }

    /// <summary>Writes the processor's parameters as one JSON object.</summary>
    void WriteParameters(Utf8JsonWriter json);

    /// <summary>Writes the fitted state (the bytes of <c>processor.arc</c>).</summary>
    ValueTask WriteStateAsync(Stream destination, CancellationToken cancellationToken);
}
