using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets;

/// <summary>Writes one split: its inputs to <c>X_&lt;split&gt;.npy</c> and its targets to <c>y_&lt;split&gt;.npy</c>, batch by batch.</summary>
internal static class SplitWriter
{
    /// <summary>What a written split holds.</summary>
    public sealed record Written(DataSplit Split, int Samples, NpyLayout X, DataFacts XFacts, NpyLayout Y, DataFacts YFacts);

    public static async Task<Written> WriteAsync<X, Y>(string folder, DataSplit split, IAsyncEnumerable<Batch<X, Y>> batches, CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        string name = SplitFiles.Name(split);
        using var inputs = new PartWriter<X>(DataForms.For<X>(), Path.Combine(folder, SplitFiles.InputsFile(split)), $"the inputs of the {name} split");
        using var targets = new PartWriter<Y>(DataForms.For<Y>(), Path.Combine(folder, SplitFiles.TargetsFile(split)), $"the targets of the {name} split");
        int batch = 0;
        await foreach (var (x, y) in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            batch++;
            if (x is null || y is null)
                throw new ArgumentException($"batch {batch} of the {name} split has no {(x is null ? "inputs" : "targets")}");
            if (x.Count != y.Count)
                throw new ArgumentException($"batch {batch} of the {name} split has {x.Count} inputs but {y.Count} targets; they must pair up sample for sample");
            await inputs.AddAsync(x, cancellationToken).ConfigureAwait(false);
            await targets.AddAsync(y, cancellationToken).ConfigureAwait(false);
        }
        var (xLayout, xFacts, rows) = await inputs.CompleteAsync(cancellationToken).ConfigureAwait(false);
        var (yLayout, yFacts, _) = await targets.CompleteAsync(cancellationToken).ConfigureAwait(false);
        if (rows > int.MaxValue)
            throw new ArgumentException($"the {name} split has {rows} samples; a split holds at most {int.MaxValue}");
        return new Written(split, (int)rows, xLayout, xFacts, yLayout, yFacts);
    }
}
