using Arc.Remote;
namespace Arc.Hosting;

/// <summary>
/// What a worker serves for one job: the SDK implements it over an <c>ISupervisedJob&lt;X, Y&gt;</c>. Requests are
/// already validated (batch size and count in range, split one of <see cref="JobSplits"/>). The token is cancelled
/// when the caller cancels, stops reading the stream, its deadline passes or the connection drops.
/// </summary>
public interface IRemoteJobHandler<X, Y>
{
    /// <summary>The job's name and its X/Y wire tags.</summary>
    JobDescription Describe();

    /// <summary>One pass over <paramref name="split"/> in batches of <paramref name="batchSize"/> (the last may be smaller).</summary>
    IAsyncEnumerable<(X Inputs, Y Targets)> StreamAsync(int batchSize, string split, int? shuffleSeed, CancellationToken cancellationToken);

    /// <summary><paramref name="count"/> random samples of <paramref name="split"/>.</summary>
    ValueTask<(X Inputs, Y Targets)> SampleAsync(int count, string split, int? seed, CancellationToken cancellationToken);
}
