using Arc.Remote;
namespace Arc.Sdk;

/// <summary>Maps <see cref="DataSplit"/> to and from the split names of <c>arc.Job</c> (<see cref="JobSplits"/>).</summary>
internal static class JobSplitNames
{
    public static string ToWire(DataSplit split) => split switch
    {
        DataSplit.Train => JobSplits.Train,
        DataSplit.Validation => JobSplits.Validation,
        DataSplit.Test => JobSplits.Test,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "not a data split"),
    };

    public static DataSplit FromWire(string split) => split switch
    {
        JobSplits.Train => DataSplit.Train,
        JobSplits.Validation => DataSplit.Validation,
        JobSplits.Test => DataSplit.Test,
        _ => throw new ArgumentException($"unknown split '{split}'", nameof(split)),
    };
}
