using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A registered job that says where it runs: every split is <c>count</c> samples whose text is
/// <c>"{process id} {HOSTNAME}"</c> of the process that loaded it, so a test can tell a job in a worker (or a pod) from
/// one in its own process.
/// </summary>
[Job]
public partial class WhereaboutsJob : SupervisedJob<TextData, ClassData>
{
    /// <summary>The one class every sample has.</summary>
    public static readonly IReadOnlyList<string> Classes = ["here"];

    private readonly int _count;

    /// <summary>A job of <paramref name="count"/> samples per split.</summary>
    public WhereaboutsJob(int count = 1)
        => _count = count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");

    /// <summary>Reads <see cref="LoadSplitAsync"/>'s text back: the process id and host name it names.</summary>
    public static (int ProcessId, string HostName) Parse(string text)
    {
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        return (int.Parse(text.AsSpan(0, space), System.Globalization.CultureInfo.InvariantCulture), text[(space + 1)..]);
    }

    /// <inheritdoc />
    protected override ValueTask<Batch<TextData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
    {
        string where = $"{Environment.ProcessId} {Environment.GetEnvironmentVariable("HOSTNAME")}";
        var texts = Enumerable.Repeat(where, _count).ToArray();
        return ValueTask.FromResult(new Batch<TextData, ClassData>(new TextData(texts), new ClassData((ReadOnlySpan<long>)new long[_count], Classes)));
    }
}
