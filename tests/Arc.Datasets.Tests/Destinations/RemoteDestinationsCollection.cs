using Arc.Sdk.Tests.Artifacts;
using Arc.Tracking.Tests;

namespace Arc.Datasets.Tests.Destinations;

/// <summary>
/// The tests of the remote destinations share one s3rver and two docker-registries (one plain, one with HTTPS and a
/// password), all real servers on 127.0.0.1, and
/// run one at a time, so a test can count the transfer folders it leaves behind.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RemoteDestinationsCollection
    : ICollectionFixture<S3rverFixture>, ICollectionFixture<DockerRegistryFixture>, ICollectionFixture<SecureDockerRegistryFixture>
{
    public const string Name = "remote destinations (s3rver, docker-registry)";
}
