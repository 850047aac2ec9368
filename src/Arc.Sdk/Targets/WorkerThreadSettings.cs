using System.Globalization;

namespace Arc.Sdk;

/// <summary>
/// The intra-op threads of a worker process started on its client's machine (<c>Target.LocalProcess</c>): one fewer
/// than the processors this process may use, at least one, so that the client keeps a processor for its own side of
/// the work (the job's loop, the next batches, the calls) while the worker computes.
/// </summary>
/// <remarks>
/// libtorch's default is one thread a processor, and its threads meet at the end of every parallel operation: when the
/// client takes one of them off its processor, the whole operation waits for it. Measured on two processors
/// (docs/performance.md, "Worker threads"): the sample MLP's step in a worker took 3.2 ms with two threads and 1.2 ms
/// with one. A choice already made in the environment (<c>OMP_NUM_THREADS</c> or <c>MKL_NUM_THREADS</c>, inherited or
/// given to the worker) is left as it is, so <c>OMP_NUM_THREADS=2</c> in the client's environment gives its workers two.
/// Workers in pods have their machine to themselves and keep libtorch's default.
/// </remarks>
internal static class WorkerThreadSettings
{
    /// <summary>The variables libtorch reads for its intra-op thread count when it starts (OpenMP's and MKL's).</summary>
    public static readonly string[] Variables = ["OMP_NUM_THREADS", "MKL_NUM_THREADS"];

    /// <summary>The threads a local worker gets when the environment chooses none: <paramref name="processors"/> − 1, at least 1.</summary>
    public static int ThreadsFor(int processors) => Math.Max(1, processors - 1);

    /// <summary>Sets both variables in <paramref name="environment"/> (a worker's) unless it sets either already.</summary>
    public static void Apply(IDictionary<string, string?> environment, int processors)
    {
        if (Variables.Any(variable => environment.TryGetValue(variable, out var value) && !string.IsNullOrEmpty(value))) return;
        string threads = ThreadsFor(processors).ToString(CultureInfo.InvariantCulture);
        foreach (string variable in Variables) environment[variable] = threads;
    }
}
