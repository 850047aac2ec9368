using Arc.Sdk.Tests.Artifacts;
using Arc.Tracking.Tests;

namespace Arc.Models.Tests;

/// <summary>The model version tests of the remote destinations share one s3rver and one docker-registry (real servers on 127.0.0.1).</summary>
[CollectionDefinition(Name)]
public sealed class RemoteDestinationsCollection : ICollectionFixture<S3rverFixture>, ICollectionFixture<DockerRegistryFixture>
{
    public const string Name = "remote destinations (s3rver, docker-registry)";
}
