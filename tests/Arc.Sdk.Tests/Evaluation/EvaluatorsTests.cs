using MessagePack;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Evaluation;

public sealed class EvaluatorsTests
{
    [Fact]
    public void Built_in_target_types_have_their_evaluators()
    {
        Assert.IsType<ClassificationEvaluator>(Evaluators.Create<ClassData>());
        Assert.IsType<MultiLabelEvaluator>(Evaluators.Create<LabelData>());
        Assert.NotSame(Evaluators.Create<ClassData>(), Evaluators.Create<ClassData>());
    }

    [Fact]
    public void An_unknown_target_type_says_how_to_register_one()
    {
        Assert.False(Evaluators.IsRegistered<NeverRegistered>());
        var e = Assert.Throws<NotSupportedException>(() => Evaluators.Create<NeverRegistered>());
        Assert.Contains("NeverRegistered", e.Message);
        Assert.Contains("Evaluators.Register<NeverRegistered>", e.Message);
    }

    [Fact]
    public void A_registered_evaluator_is_created_for_its_type()
    {
        Evaluators.Register<Scores>(() => new MeanAbsoluteError());
        Assert.True(Evaluators.IsRegistered<Scores>());
        var evaluator = Evaluators.Create<Scores>();
        evaluator.Accumulate(new Scores([1f, 2f]), new Scores([1.5f, 4f]));
        Assert.Equal(1.25, evaluator.Finish().Headline["mae"]);
    }

    /// <summary>A user's own target type: one float per sample.</summary>
    internal sealed class Scores(float[] values) : IArcData<Scores>
    {
        public float[] Values { get; } = values;
        public int Count => Values.Length;
        public static string WireTag => "test-scores";
        public Scores Slice(int start, int count) => new(Values.AsSpan(start, count).ToArray());
        public Scores Take(ReadOnlySpan<int> indices)
        {
            var picked = new float[indices.Length];
            for (int i = 0; i < indices.Length; i++) picked[i] = Values[indices[i]];
            return new Scores(picked);
        }
        public static Scores Concat(IReadOnlyList<Scores> batches) => new(batches.SelectMany(b => b.Values).ToArray());
        public static void WriteWire(ref MessagePackWriter writer, Scores value) => throw new NotSupportedException();
        public static Scores ReadWire(ref MessagePackReader reader) => throw new NotSupportedException();
    }

    /// <summary>A user's own evaluator for <see cref="Scores"/>.</summary>
    internal sealed class MeanAbsoluteError : IEvaluator<Scores>
    {
        private double _sum;
        private long _count;

        public void Accumulate(Scores predicted, Scores truth)
        {
            for (int i = 0; i < truth.Count; i++) _sum += Math.Abs(predicted.Values[i] - truth.Values[i]);
            _count += truth.Count;
        }

        public IEvalDetail Finish() => new Detail(_count == 0 ? 0 : _sum / _count);

        private sealed record Detail(double Mae) : IEvalDetail
        {
            public IReadOnlyDictionary<string, double> Headline => new Dictionary<string, double> { ["mae"] = Mae };
            public string Format() => $"mae {Mae}";
        }
    }

    private sealed class NeverRegistered : IArcData<NeverRegistered>
    {
        public int Count => 0;
        public static string WireTag => "never";
        public NeverRegistered Slice(int start, int count) => this;
        public NeverRegistered Take(ReadOnlySpan<int> indices) => this;
        public static NeverRegistered Concat(IReadOnlyList<NeverRegistered> batches) => batches[0];
        public static void WriteWire(ref MessagePackWriter writer, NeverRegistered value) => throw new NotSupportedException();
        public static NeverRegistered ReadWire(ref MessagePackReader reader) => throw new NotSupportedException();
    }
}
