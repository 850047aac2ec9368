namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// Tests that leave a dead owner's /tmp/arc-* path in place for a moment and check who removes it. Every worker disposal
/// in a parallel test sweeps such paths, so these run alone (xunit runs non-parallel collections after the others).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TempPathSweepCollection
{
    public const string Name = "temporary path sweeps";
}
