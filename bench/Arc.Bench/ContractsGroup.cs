using Arc.Sdk;
using Arc.Types;

namespace Arc.Bench;

/// <summary>
/// What the in-process contract check costs per call (issue #20: at most 1 µs): <c>PredictAsync</c> on an
/// <see cref="InProcessModel{X, Y}"/> over a model that returns a ready answer, with <c>ChecksContract</c> on and off,
/// for an image contract (1×28×28 float32), a 13-column table and a text of at most 512 characters (a batch of 32).
/// The cases take turns (<see cref="Measure"/>); each is the median of several runs; /proc/loadavg is printed before
/// and after, and a difference taken at a load above 1 is not a measurement.
/// </summary>
public static class ContractsGroup
{
    public static void Run(BenchOptions options)
    {
        Console.WriteLine("== contracts: the in-process check per PredictAsync (checked vs unchecked) ==");
        Console.WriteLine($"  loadavg before: {MachineLoad.Line()}");
        int runs = options.Quick ? 1 : 5;
        Case("image 32x1x28x28", new ImageContract(1, 28, 28, ArcDType.Float32),
            new ImageData(ArcArray.Zeros(ArcDType.Float32, 32, 1, 28, 28)), options, runs);
        var columns = Enumerable.Range(0, 13).Select(i => new TableColumnContract($"feature{i}", "float32")).ToArray();
        Case("table 32 rows x 13 columns", new TableContract(columns),
            new TableData(columns.Select(c => TableColumn.FromValues(c.Name, new float[32])).ToArray()), options, runs);
        Case("text 32 x 100 chars, max 512", new TextContract(512),
            new TextData(Enumerable.Repeat(new string('a', 100), 32).ToArray()), options, runs);
        Console.WriteLine($"  loadavg after: {MachineLoad.Line()}");
    }

    private static void Case<X>(string name, ValueContract contract, X input, BenchOptions options, int runs)
        where X : class, IArcData<X>
    {
        var answer = new ClassData(new long[input.Count], ["a", "b"]);
        var checkedModel = new InProcessModel<X, ClassData>(new ReadyModel<X>(new DataContract(contract, null), answer));
        var uncheckedModel = new InProcessModel<X, ClassData>(new ReadyModel<X>(new DataContract(contract, null), answer)) { ChecksContract = false };
        var checkedNs = new List<double>();
        var uncheckedNs = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            // Operations per second / 1e9 with one "byte" per operation: its inverse is nanoseconds per call.
            var rates = Measure.GigabytesPerSecond([
                () => checkedModel.PredictAsync(input).GetAwaiter().GetResult(),
                () => uncheckedModel.PredictAsync(input).GetAwaiter().GetResult(),
            ], bytesPerOperation: 1, options.CaseDuration);
            checkedNs.Add(1 / rates[0]);
            uncheckedNs.Add(1 / rates[1]);
        }
        double c = Statistics.Median(checkedNs), u = Statistics.Median(uncheckedNs);
        Console.WriteLine($"  {name,-30} checked {c,8:F1} ns   unchecked {u,8:F1} ns   check {c - u,8:F1} ns/call (median of {runs})");
    }


    /// <summary>A model that answers at once, so the difference between the cases is the check alone.</summary>
    private sealed class ReadyModel<X>(DataContract contract, ClassData answer) : SupervisedModel<X, ClassData>
        where X : IArcData<X>
    {
        public override DataContract Contract => contract;
        public override FitResult Fit(X x, ClassData y) => new(0, x.Count);
        public override ClassData Predict(X x) => answer;
        public override void SaveWeights(Stream destination) { }
        public override void LoadWeights(Stream source) { }
    }
}
