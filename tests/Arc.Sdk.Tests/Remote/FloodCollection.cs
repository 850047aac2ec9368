namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// Floods that load the machine's cores, memory and loopback for their duration: they run alone (xunit runs
/// non-parallel collections after the others), so neither they nor the timing of other tests' assertions are measured
/// under each other's load.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FloodCollection
{
    public const string Name = "floods";
}
