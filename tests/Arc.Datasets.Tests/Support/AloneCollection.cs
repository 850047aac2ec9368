namespace Arc.Datasets.Tests.Support;

/// <summary>Tests that measure the process (resident memory) or change its console run alone, after the others.</summary>
[CollectionDefinition(nameof(AloneCollection), DisableParallelization = true)]
public sealed class AloneCollection;
