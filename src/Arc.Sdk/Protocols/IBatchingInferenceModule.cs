namespace Arc.Sdk;

/// <summary>
/// An <see cref="IInferenceModule"/> whose inputs and outputs are batches that can be joined and split, so that a
/// server can merge concurrent requests into one call of the model and hand each caller its own rows (dynamic
/// batching). The generated modules implement it through <see cref="InferenceModule{TModel, X, Y}"/>.
/// </summary>
public interface IBatchingInferenceModule : IInferenceModule
{
    /// <summary>The input data type (X).</summary>
    Type InputType { get; }

    /// <summary>The output data type (Y).</summary>
    Type OutputType { get; }

    /// <summary>The contract the model states (<see cref="Arc.Types.DataContract.None"/> when none): servers check inputs against its X.</summary>
    Arc.Types.DataContract Contract { get; }

    /// <summary>How many rows (samples) <paramref name="data"/>, an input or an output, holds.</summary>
    int RowsOf(object data);

    /// <summary>Joins inputs along their first dimension, in order.</summary>
    /// <exception cref="ArgumentException">The inputs disagree on anything but the number of rows (e.g. image size).</exception>
    object ConcatInputs(IReadOnlyList<object> inputs);

    /// <summary>Rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1 of an output.</summary>
    object SliceOutput(object output, int start, int count);
}
