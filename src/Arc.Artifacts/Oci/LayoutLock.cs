using System.Collections.Concurrent;

namespace Arc.Artifacts;

/// <summary>
/// Serializes read-modify-write of a layout's index.json: a semaphore per path within this process, and an
/// exclusively opened lock file (FileShare.None, which .NET backs with flock on Unix) against other processes.
/// </summary>
internal static class LayoutLock
{
    static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static async Task<IDisposable> AcquireAsync(string lockPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(lockPath, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
            throw new TimeoutException($"could not lock {lockPath} within {timeout.TotalSeconds:0} s: another push in this process holds it");
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                try
                {
                    var file = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return new Held(gate, file);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new TimeoutException($"could not lock {lockPath} within {timeout.TotalSeconds:0} s: another process holds it", e);
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    sealed class Held(SemaphoreSlim gate, FileStream file) : IDisposable
    {
        int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            file.Dispose();
            gate.Release();
        }
    }
}
