namespace Arc.Sdk;

/// <summary>
/// Watches a model's build folder and reloads after each burst of changes has settled (a <c>dotnet build</c> writes
/// several files over a moment; one reload after the last is what is wanted). Dispose to stop watching.
/// </summary>
internal sealed class BuildFolderWatch : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _settle;
    private readonly TimeSpan _quiet;
    private readonly Func<Task> _reload;
    private int _disposed;

    public BuildFolderWatch(string folder, TimeSpan quiet, Func<Task> reload)
    {
        _quiet = quiet;
        _reload = reload;
        _settle = new Timer(_ => _ = ReloadAsync(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Changed += (_, _) => Restart();
        _watcher.Created += (_, _) => Restart();
        _watcher.Renamed += (_, _) => Restart();
        _watcher.Deleted += (_, _) => Restart();
        _watcher.EnableRaisingEvents = true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _watcher.Dispose();
        _settle.Dispose();
    }

    // Every change pushes the reload back: it runs once the folder has been quiet for the whole period.
    private void Restart()
    {
        if (Volatile.Read(ref _disposed) == 0)
            try { _settle.Change(_quiet, Timeout.InfiniteTimeSpan); } catch (ObjectDisposedException) { }
    }

    private async Task ReloadAsync()
    {
        if (Volatile.Read(ref _disposed) == 0) await _reload().ConfigureAwait(false);
    }
}
