using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Errors;

/// <summary>
/// The model the error-contract matrix deploys on every target: a tabular classifier (class 1 where the float64 column
/// <c>value</c> is positive) whose int64 column <c>action</c> (first row) makes a call fail on purpose, the same way
/// wherever the model runs. A table without a float64 <c>value</c> column is a bad shape, refused with
/// <see cref="ArgumentException"/> as a model should.
/// </summary>
[Model]
public partial class ContractModel : SupervisedModel<TableData, ClassData>
{
    /// <summary>Predict normally.</summary>
    public const long Answer = 0;

    /// <summary>Throw <see cref="InvalidOperationException"/> with <see cref="FailureMessage"/>.</summary>
    public const long Fail = 1;

    /// <summary>Block the call for <c>stallMilliseconds</c> (the model cannot see a cancellation: a synchronous <c>Predict</c> takes no token).</summary>
    public const long Stall = 2;

    /// <summary>End the worker process with <see cref="ExitCode"/> (refused outside a worker process).</summary>
    public const long Exit = 3;

    /// <summary>The message of the model's own failure.</summary>
    public const string FailureMessage = "the contract model fails on purpose";

    /// <summary>The exit code of <see cref="Exit"/>.</summary>
    public const int ExitCode = 3;

    /// <summary>The class names.</summary>
    public static readonly string[] Classes = ["not positive", "positive"];

    private readonly int _stallMilliseconds;
    private byte _weight = 7;

    /// <summary>A model that stalls for <paramref name="stallMilliseconds"/> when asked to.</summary>
    public ContractModel(int stallMilliseconds = 1000) => _stallMilliseconds = stallMilliseconds;

    /// <summary>A batch of <paramref name="values"/> asking for <paramref name="action"/>.</summary>
    public static TableData Table(long action, params double[] values)
    {
        var actions = new long[values.Length];
        Array.Fill(actions, action);
        return new TableData([TableColumn.FromValues("value", values), TableColumn.FromValues("action", actions)]);
    }

    /// <summary>The targets for <paramref name="values"/>: the classes the model predicts for them.</summary>
    public static ClassData Targets(params double[] values) => new(values.Select(v => v > 0 ? 1L : 0L).ToArray(), Classes);

    /// <inheritdoc />
    public override FitResult Fit(TableData x, ClassData y)
    {
        Act(x);
        return new FitResult(0, x.Count);
    }

    /// <inheritdoc />
    public override ClassData Predict(TableData x)
    {
        var values = Act(x);
        var classes = new long[x.Count];
        for (int i = 0; i < classes.Length; i++) classes[i] = values[i] > 0 ? 1 : 0;
        return new ClassData(classes, Classes);
    }

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) => destination.WriteByte(_weight);

    /// <inheritdoc />
    public override void LoadWeights(Stream source)
    {
        int weight = source.ReadByte();
        if (weight < 0 || source.ReadByte() >= 0) throw new InvalidDataException("the contract model's weights are exactly one byte");
        _weight = (byte)weight;
    }

    // Checks the shape, then does what the first row's action asks.
    private double[] Act(TableData x)
    {
        if (!x.TryGetColumn("value", out var value) || value.Values is not { DType: ArcDType.Float64 } values)
            throw new ArgumentException($"the contract model needs a float64 column 'value'; it got {x}", nameof(x));
        long action = x.Count > 0 && x.TryGetColumn("action", out var actions) && actions.Values is { DType: ArcDType.Int64 } a
            ? a.AsSpan<long>()[0]
            : Answer;
        switch (action)
        {
            case Fail:
                throw new InvalidOperationException(FailureMessage);
            case Stall:
                Thread.Sleep(_stallMilliseconds);
                break;
            case Exit when Environment.GetEnvironmentVariable(WorkerEnvironment.Marker) == "1":
                Environment.Exit(ExitCode);
                break;
            case Exit:
                throw new InvalidOperationException("the contract model ends worker processes only, not this one");
        }
        return values.AsSpan<double>().ToArray();
    }
}
