using Arc.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A worker host does not watch settings files: reloading on change would watch the current directory recursively
/// (inotify), which cost every worker start 25–40 ms and, from a large tree, can exhaust the user's inotify watches.
/// </summary>
public sealed class WorkerHostSettingsTests
{
    [Fact]
    public async Task A_worker_host_reads_its_settings_files_once_and_watches_none()
    {
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(2), cancellationToken: TestContext.Current.CancellationToken);
        var configuration = Assert.IsAssignableFrom<IConfigurationRoot>(host.Services.GetRequiredService<IConfiguration>());
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.NotEmpty(files); // appsettings.json is still a source, read at start
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is watched for changes"));
    }
}
