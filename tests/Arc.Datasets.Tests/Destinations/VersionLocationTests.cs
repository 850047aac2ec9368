namespace Arc.Datasets.Tests.Destinations;

/// <summary>How version locations are read, where S3 settings come from, and which file names a download refuses.</summary>
public sealed class VersionLocationTests
{
    [Fact]
    public void Locations_are_folders_S3_prefixes_or_OCI_repositories()
    {
        Assert.Equal(new VersionLocation.Folder(Path.GetFullPath("data")), VersionLocation.Parse("data", "dataset"));
        Assert.Equal(new VersionLocation.Folder("/srv/data"), VersionLocation.Parse("file:///srv/data", "dataset"));
        Assert.Equal(new VersionLocation.S3("my-bucket", "team/datasets/"), VersionLocation.Parse("s3://my-bucket/team/datasets/", "dataset"));
        Assert.Equal(new VersionLocation.S3("my-bucket", ""), VersionLocation.Parse("s3://my-bucket", "dataset"));
        Assert.Equal("s3://my-bucket/team/shapes/v1", ((VersionLocation.S3)VersionLocation.Parse("s3://my-bucket/team", "dataset")).Child("shapes").Child("v1").ToString());
        var oci = Assert.IsType<VersionLocation.Oci>(VersionLocation.Parse("oci://127.0.0.1:5000/team/shapes:v1", "dataset"));
        Assert.Equal(("127.0.0.1:5000", "team/shapes", "v1"), (oci.Reference.Registry, oci.Reference.Repository, oci.Reference.Tag));

        Assert.Throws<ArgumentException>(() => VersionLocation.Parse("s3://a/x", "dataset"));
        Assert.Throws<ArgumentException>(() => VersionLocation.Parse("s3://bucket/a/../b", "dataset"));
        Assert.Throws<ArgumentException>(() => VersionLocation.Parse("oci://127.0.0.1:5000/team/shapes@sha256:" + new string('0', 64), "dataset"));
        Assert.Throws<ArgumentException>(() => VersionLocation.Parse("oci://team", "dataset"));
        Assert.Throws<NotSupportedException>(() => VersionLocation.Parse("gs://bucket/x", "dataset"));
    }

    [Fact]
    public void S3_settings_come_from_the_options_then_the_documented_environment_variables()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000", ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9001", ["AWS_DEFAULT_REGION"] = "eu-west-1",
        };
        string? Env(string name) => environment.GetValueOrDefault(name);

        var settings = S3Clients.Resolve(null, Env);
        Assert.Equal(new S3Clients.Settings(new Uri("http://127.0.0.1:9001"), "eu-west-1", null, null), settings);
        environment.Remove("AWS_ENDPOINT_URL_S3");
        environment["AWS_REGION"] = "eu-north-1";
        Assert.Equal(new S3Clients.Settings(new Uri("http://127.0.0.1:9000"), "eu-north-1", null, null), S3Clients.Resolve(null, Env));

        var given = new VersionStorageOptions { S3ServiceUrl = new Uri("http://127.0.0.1:7000"), S3Region = "us-west-2", S3AccessKeyId = "id", S3SecretAccessKey = "secret" };
        Assert.Equal(new S3Clients.Settings(new Uri("http://127.0.0.1:7000"), "us-west-2", "id", "secret"), S3Clients.Resolve(given, Env));
        Assert.Equal(new S3Clients.Settings(null, "us-east-1", null, null), S3Clients.Resolve(null, _ => null));

        Assert.Throws<ArgumentException>(() => S3Clients.Resolve(new VersionStorageOptions { S3AccessKeyId = "id" }, Env));
        environment["AWS_ENDPOINT_URL"] = "ftp://somewhere";
        Assert.Throws<ArgumentException>(() => S3Clients.Resolve(null, Env));
    }

    [Theory]
    [InlineData("../x.npy")]
    [InlineData("raw/../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("raw//x")]
    [InlineData("raw\\x")]
    [InlineData("./x")]
    [InlineData("meta.json")]
    [InlineData("")]
    public void A_download_refuses_names_that_leave_the_folder_or_replace_meta_json(string file)
        => Assert.Null(RemoteTransfer.LocalPath("/tmp/arc-transfer-x", file));

    [Fact]
    public void A_download_keeps_plain_relative_names_inside_the_folder()
    {
        Assert.Equal("/tmp/arc-transfer-x/X_train.npy", RemoteTransfer.LocalPath("/tmp/arc-transfer-x", "X_train.npy"));
        Assert.Equal("/tmp/arc-transfer-x/raw/a/b.txt", RemoteTransfer.LocalPath("/tmp/arc-transfer-x", "raw/a/b.txt"));
    }
}
