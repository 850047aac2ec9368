using System.Diagnostics;
using Arc.Artifacts;
using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Tracking.Tests;
using Arc.Types;

namespace Arc.Datasets.Tests.Destinations;

/// <summary>
/// With no <see cref="VersionStorageOptions"/> at all, an <c>s3://</c> publish takes its endpoint, region and keys from
/// the documented environment variables. The publish runs in a child process (tests/Arc.DatasetProbe) so the variables
/// are its own, not the test process's.
/// </summary>
[Collection(RemoteDestinationsCollection.Name)]
public sealed class S3EnvironmentTests(S3rverFixture s3)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_endpoint_region_and_keys_come_from_the_AWS_environment_variables()
    {
        using var scratch = new Scratch();
        await File.WriteAllTextAsync(scratch["raw.txt"], "raw", Ct);
        string prefix = $"environment-{Guid.NewGuid():N}";
        string destination = $"s3://{S3rverFixture.Bucket}/{prefix}";

        var (exit, stdout, stderr) = await PublishInChildAsync(destination, scratch["raw.txt"], S3rverFixture.AccessKeyId);
        Assert.True(exit == 0, $"the probe exited {exit}: {stderr}");
        Assert.Equal($"{destination}/probe/v1", stdout.Trim());
        Assert.Contains($"{prefix}/probe/v1/meta.json", s3.KeysUnder(prefix + "/"));

        var storage = new VersionStorageOptions { S3ServiceUrl = s3.ServiceUrl, S3AccessKeyId = S3rverFixture.AccessKeyId, S3SecretAccessKey = S3rverFixture.SecretAccessKey };
        using var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(stdout.Trim(), new DatasetOpenOptions { Storage = storage }, Ct);
        Assert.Equal(10, version.Metadata.Split(DataSplit.Train)!.Samples);

        // Another key id from the environment is used too, and refused by the server: nothing is published.
        string other = $"s3://{S3rverFixture.Bucket}/{prefix}-wrong";
        (exit, _, stderr) = await PublishInChildAsync(other, scratch["raw.txt"], "NOT-S3RVER");
        Assert.NotEqual(0, exit);
        Assert.Contains("Forbidden", stderr, StringComparison.Ordinal); // the first request, the check for an existing version, is refused
        Assert.Empty(s3.KeysUnder($"{prefix}-wrong/"));
    }

    private async Task<(int Exit, string Stdout, string Stderr)> PublishInChildAsync(string destination, string raw, string keyId)
    {
        var start = new ProcessStartInfo(Path.Combine(DotnetRuntimeFiles.CurrentRoot(), "dotnet"))
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "Arc.DatasetProbe.dll"), "publish", destination, raw })
            start.ArgumentList.Add(arg);
        foreach (string name in new[] { "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE" })
            start.Environment.Remove(name);
        start.Environment["AWS_ENDPOINT_URL_S3"] = s3.ServiceUrl.ToString();
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = keyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = S3rverFixture.SecretAccessKey;
        // No instance metadata service to ask on this machine, and never an address but loopback.
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync(Ct);
        var stderr = child.StandardError.ReadToEndAsync(Ct);
        await child.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct);
        return (child.ExitCode, await stdout, await stderr);
    }
}
