namespace Arc.Testing.Fuzz;

/// <summary>How hard to fuzz: frames per endpoint, frames per endpoint of the warm-up before memory is measured, calls in flight, and the seed.</summary>
internal sealed record FuzzSettings(int Frames, int WarmUpFrames, int Concurrency, int Seed);

/// <summary>What fuzzing one worker found.</summary>
/// <param name="Ready">The worker's memory once it served its first calls.</param>
/// <param name="AfterWarmUp">After the warm-up: JIT, thread pool, Kestrel's buffers and the GC's budgets have settled.</param>
/// <param name="End">After every endpoint's frames.</param>
/// <param name="Problems">Everything wrong besides wrong answers: the worker died, stopped answering valid calls, or answered them wrong.</param>
internal sealed record WorkerFuzzResult(string Worker, int ProcessId, WorkerMemory Ready, WorkerMemory AfterWarmUp, WorkerMemory End,
    IReadOnlyList<EndpointReport> WarmUp, IReadOnlyList<EndpointReport> Endpoints, IReadOnlyList<string> Problems, long StderrLines)
{
    /// <summary>Resident memory gained while the measured frames ran.</summary>
    public double GrowthMiB => (End.RssKiB - AfterWarmUp.RssKiB) / 1024.0;

    /// <summary>Every failure and problem, for an assertion message.</summary>
    public IEnumerable<string> AllFailures => WarmUp.Concat(Endpoints).SelectMany(e => e.Failures).Concat(Problems);

    public int FailedFrames => WarmUp.Concat(Endpoints).Sum(e => e.Failed);
}

/// <summary>
/// Fuzzes every endpoint of one worker: a warm-up round, the memory reading, then <see cref="FuzzSettings.Frames"/>
/// frames per endpoint, each endpoint followed by a valid call that must still be answered right and a check that the
/// process lives; at the end the memory again and a typed call through Arc's client.
/// </summary>
internal static class FuzzCampaign
{
    public static async Task<WorkerFuzzResult> RunAsync(FuzzWorker worker, FuzzSettings settings, Action<EndpointReport>? progress,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (await worker.CheckServesAsync(cancellationToken) is { } notServing) problems.Add($"before fuzzing: {notServing}");
        var ready = WorkerMemory.Of(worker.ProcessId);

        // The warm-up's frames differ from the measured ones (another seed); its failures count like any others.
        var warmUp = await RoundAsync(worker, settings.WarmUpFrames, settings with { Seed = settings.Seed + 1_000_000 }, problems, null, cancellationToken);
        var afterWarmUp = WorkerMemory.IsRunning(worker.ProcessId) ? WorkerMemory.Of(worker.ProcessId) : default;
        var measured = await RoundAsync(worker, settings.Frames, settings, problems, progress, cancellationToken);
        var end = WorkerMemory.IsRunning(worker.ProcessId) ? WorkerMemory.Of(worker.ProcessId) : default;

        if (WorkerMemory.IsRunning(worker.ProcessId) && await worker.CheckServesAsync(cancellationToken) is { } wrong) problems.Add($"after fuzzing: {wrong}");
        return new WorkerFuzzResult(worker.Name, worker.ProcessId, ready, afterWarmUp, end, warmUp, measured, problems, worker.Log.Lines);
    }

    private static async Task<List<EndpointReport>> RoundAsync(FuzzWorker worker, int frames, FuzzSettings settings, List<string> problems,
        Action<EndpointReport>? progress, CancellationToken cancellationToken)
    {
        var reports = new List<EndpointReport>();
        for (int e = 0; e < worker.Endpoints.Count && frames > 0; e++)
        {
            var endpoint = worker.Endpoints[e];
            var report = await LiveFuzzer.RunAsync(worker, endpoint, frames, settings.Concurrency, settings.Seed + e, cancellationToken);
            reports.Add(report);
            if (!WorkerMemory.IsRunning(worker.ProcessId))
            {
                progress?.Invoke(report);
                problems.Add($"the {worker.Name} worker (pid {worker.ProcessId}) died while {endpoint.Name} was fuzzed; its last stderr lines:{Environment.NewLine}{worker.Log}");
                break;
            }
            report.MemoryAfter = WorkerMemory.Of(worker.ProcessId);
            progress?.Invoke(report);
            if (await LiveFuzzer.CheckValidAsync(worker, endpoint, cancellationToken) is { } wrong) problems.Add($"after fuzzing: {wrong}");
            await worker.AfterEndpointAsync(endpoint, cancellationToken);
        }
        return reports;
    }
}
