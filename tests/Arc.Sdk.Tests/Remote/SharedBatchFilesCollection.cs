namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// Tests that look at this process's shared batch directories in /dev/shm: any parallel test fitting large batches
/// through a loopback or process worker makes such directories too, so these run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedBatchFilesCollection
{
    public const string Name = "shared batch files";
}
