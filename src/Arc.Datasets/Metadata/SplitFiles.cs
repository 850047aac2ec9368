using Arc.Sdk;

namespace Arc.Datasets;

/// <summary>The names splits have in a dataset version: <c>train</c>, <c>val</c>, <c>test</c>, as in <c>X_train.npy</c>.</summary>
internal static class SplitFiles
{
    /// <summary>Every split, in the order a version lists them.</summary>
    public static readonly DataSplit[] All = [DataSplit.Train, DataSplit.Validation, DataSplit.Test];

    public static string Name(DataSplit split) => split switch
    {
        DataSplit.Train => "train",
        DataSplit.Validation => "val",
        DataSplit.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "not a data split"),
    };

    public static DataSplit? Parse(string name) => name switch
    {
        "train" => DataSplit.Train,
        "val" => DataSplit.Validation,
        "test" => DataSplit.Test,
        _ => null,
    };

    public static string InputsFile(DataSplit split) => $"X_{Name(split)}.npy";

    public static string TargetsFile(DataSplit split) => $"y_{Name(split)}.npy";
}
