using System.Text;
using Arc.Artifacts;
using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Sdk.Tests.Artifacts;
using Arc.Types;

namespace Arc.Datasets.Tests.Destinations;

/// <summary>
/// A private registry (docker-registry with HTTPS from a test CA and htpasswd Basic auth, on 127.0.0.1): the credentials
/// come from a docker config.json, the place docs/artifacts.md documents, through <see cref="VersionStorageOptions.Registry"/>;
/// without them nothing is published and the error says so.
/// </summary>
[Collection(RemoteDestinationsCollection.Name)]
public sealed class OciCredentialTests(SecureDockerRegistryFixture registry) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private string Destination => $"oci://{registry.Registry}/private{Guid.NewGuid():N}";

    private VersionStorageOptions StorageWith(string? configJson)
    {
        string config = _scratch["config.json"];
        if (configJson is not null) File.WriteAllText(config, configJson);
        return new VersionStorageOptions
        {
            Registry = new OciRegistryOptions
            {
                PlainHttp = false, // HTTPS on loopback
                TrustedCertificateAuthorities = [registry.Authority!.Certificate],
                AuthFiles = [config],
            },
        };
    }

    /// <summary>A docker config.json with the registry's user and password in its <c>auths</c>.</summary>
    private string DockerConfig()
    {
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DockerRegistryFixture.Username}:{DockerRegistryFixture.Password}"));
        return "{\"auths\":{\"" + registry.Registry + "\":{\"auth\":\"" + auth + "\"}}}";
    }

    private static DatasetBuilder<ImageData, ClassData> Shapes() => new DatasetBuilder<ImageData, ClassData>("shapes").AddSplit(DataSplit.Train, SampleData.Images(6));

    [Fact]
    public async Task Credentials_from_a_docker_config_publish_and_open_a_version()
    {
        var storage = StorageWith(DockerConfig());

        var published = await Shapes().WithStorage(storage).PublishAsync(Destination, "v1", Ct);

        using var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, new DatasetOpenOptions { Storage = storage }, Ct);
        Assert.Equal(published.Metadata.Hash, version.Metadata.Hash);
        Assert.Equal(Enumerable.Range(0, 6), SampleData.Ids((await SampleData.ReadAllAsync(version, DataSplit.Train)).Inputs));
    }

    [Fact]
    public async Task Without_credentials_nothing_is_published_and_the_error_says_why()
    {
        string destination = Destination;
        var anonymous = StorageWith(null);

        var error = await Assert.ThrowsAsync<ArtifactAuthenticationException>(() => Shapes().WithStorage(anonymous).PublishAsync(destination, "v1", Ct));
        Assert.Contains(registry.Registry, error.Message);

        var storage = StorageWith(DockerConfig());
        await Assert.ThrowsAsync<DirectoryNotFoundException>(
            () => DatasetVersion.OpenAsync<ImageData, ClassData>($"{destination}/shapes:v1", new DatasetOpenOptions { Storage = storage }, Ct));
    }
}
