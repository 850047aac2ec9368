namespace Arc.Sdk;

/// <summary>
/// Warm standby workers kept ready for <see cref="Target.LocalProcess"/> deployments (<see cref="LocalProcessOptions.StandbyWorkers"/>),
/// one pool per worker program. A deployment takes a warm one when there is one and, once it is ready, starts another
/// in its place in the background; the first deployment of a program, which finds none, starts the pool when its own
/// worker is ready. Idle standby workers hold no user code; they exit with this process (their pipe closes) or at <see cref="ClearAsync"/>.
/// </summary>
internal static class WorkerStandbyPool
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Pool> Pools = new(StringComparer.Ordinal);

    private sealed class Pool
    {
        public readonly List<WorkerProcess> Warm = [];
        public int Starting;
    }

    /// <summary>
    /// A warm standby worker of <paramref name="workerPath"/>, or null. The pool is not topped up here: the caller calls
    /// <see cref="TopUp"/> once its deployment is ready, so that a new standby's start (a process start and its warm-up,
    /// CPU-bound for ~0.3 s) does not compete with the deployment it replaces the standby for.
    /// </summary>
    public static WorkerProcess? Take(string workerPath)
    {
        WorkerProcess? taken = null;
        List<WorkerProcess> gone;
        lock (Gate)
        {
            var pool = PoolOf(workerPath);
            gone = pool.Warm.Where(w => w.Exited.IsCompleted).ToList();
            pool.Warm.RemoveAll(gone.Contains);
            if (pool.Warm.Count > 0)
            {
                taken = pool.Warm[0];
                pool.Warm.RemoveAt(0);
            }
        }
        foreach (var worker in gone) _ = worker.DisposeAsync().AsTask();
        return taken;
    }

    /// <summary>Completes when the pool of <paramref name="workerPath"/> holds <paramref name="count"/> warm workers (benchmarks and tests wait for it).</summary>
    public static async Task WhenWarmAsync(string workerPath, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (Gate)
                if (PoolOf(workerPath).Warm.Count(w => !w.Exited.IsCompleted) >= count) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the standby pool of {workerPath} held fewer than {count} warm workers after {timeout}");
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>The warm workers' process ids (tests).</summary>
    public static int[] WarmProcessIds(string workerPath)
    {
        lock (Gate) return PoolOf(workerPath).Warm.Select(w => w.ProcessId).ToArray();
    }

    /// <summary>Stops every warm standby worker of every pool (workers being started still join their pool).</summary>
    public static async Task ClearAsync()
    {
        List<WorkerProcess> all;
        lock (Gate)
        {
            all = Pools.Values.SelectMany(p => p.Warm).ToList();
            foreach (var pool in Pools.Values) pool.Warm.Clear();
        }
        foreach (var worker in all) await worker.DisposeAsync().ConfigureAwait(false);
    }

    private static Pool PoolOf(string workerPath)
    {
        if (!Pools.TryGetValue(workerPath, out var pool)) Pools[workerPath] = pool = new Pool();
        return pool;
    }

    /// <summary>Starts standby workers in the background until the pool of <paramref name="workerPath"/> holds or awaits <see cref="LocalProcessOptions.StandbyWorkers"/>.</summary>
    public static void TopUp(string workerPath, LocalProcessOptions options)
    {
        int missing;
        lock (Gate)
        {
            var pool = PoolOf(workerPath);
            missing = Math.Max(0, options.StandbyWorkers - pool.Warm.Count - pool.Starting);
            pool.Starting += missing;
        }
        for (int i = 0; i < missing; i++) _ = StartOneAsync(workerPath, options);
    }

    // Runs in the background: a standby that fails to start or warm up is logged and dropped; the next deployment starts
    // its worker the usual way and tries the pool again.
    private static async Task StartOneAsync(string workerPath, LocalProcessOptions options)
    {
        WorkerProcess? worker = null;
        try
        {
            await Task.Yield(); // the process start itself (fork and exec) runs on the pool, not on the deploying caller's path
            worker = await WorkerProcess.StartStandbyAsync(workerPath, options, CancellationToken.None).ConfigureAwait(false);
            var first = await Task.WhenAny(worker.Warm, worker.Exited).WaitAsync(options.ReadyTimeout).ConfigureAwait(false);
            if (first != worker.Warm)
                throw new ArcWorkerExitedException(worker.ModelName, worker.ProcessId, worker.ExitCode, $"before it was warm: {worker.RecentErrors()}");
            lock (Gate) PoolOf(workerPath).Warm.Add(worker);
            worker = null;
        }
        catch (Exception e)
        {
            WorkerProcess.LogOf(options)($"[worker standby] a standby worker could not be made ready, so the next deployment starts its own: {e.Message}");
        }
        finally
        {
            lock (Gate) PoolOf(workerPath).Starting--;
            if (worker is not null) await worker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
