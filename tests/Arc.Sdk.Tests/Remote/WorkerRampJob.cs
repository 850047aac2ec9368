using System.Diagnostics;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A registered job (so Arc.Worker can load it from this assembly by name): <c>count</c> random 1×4×4 images from
/// <c>seed</c> per split, each labelled with the row holding its largest pixel mod 3 (classes of <see cref="WorkerMlp"/>).
/// Its validation split never loads: it announces that on stderr and stalls, so a test can kill its worker while a
/// stream is certainly in flight.
/// </summary>
[Job]
public partial class WorkerRampJob : SupervisedJob<ImageData, ClassData>
{
    /// <summary>The line written to stderr when the validation split starts loading (and stalls).</summary>
    public const string ValidationStalled = "worker ramp job: validation split stalled";

    private readonly int _count;
    private readonly int _seed;

    /// <summary>A job of <paramref name="count"/> samples per split, drawn from <paramref name="seed"/>.</summary>
    public WorkerRampJob(int count = 12, int seed = 1)
    {
        _count = count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");
        _seed = seed;
    }

    /// <inheritdoc />
    protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
    {
        if (split == DataSplit.Validation)
        {
            Console.Error.WriteLine(ValidationStalled);
            Thread.Sleep(Timeout.Infinite);
            throw new UnreachableException();
        }
        var (images, pixels) = RemoteTestData.Images(_count, 4, 4, _seed + (int)split);
        var classes = new long[_count];
        for (int i = 0; i < _count; i++)
        {
            var image = pixels.AsSpan(i * 16, 16);
            int brightest = image.IndexOf(image.ToArray().Max());
            classes[i] = brightest / 4 % WorkerMlp.Classes.Count;
        }
        return ValueTask.FromResult(new Batch<ImageData, ClassData>(images, new ClassData(classes, WorkerMlp.Classes)));
    }
}
