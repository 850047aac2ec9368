using MessagePack;
using MessagePack.Formatters;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Worker;

/// <summary>
/// What a standby worker runs before it has anything to serve: each step a deployment takes after its assignment, on
/// a throwaway model, so the code is compiled and the types are loaded when the real one comes (StandbyWorker.cs).
/// </summary>
/// <remarks>
/// The steps and what each warms (docs/performance.md, "Worker cold start"): an assignment line read as JSON; a
/// parameters record written and read through <see cref="WireFormat"/> with a formatter shaped like the generated ones
/// (Arc's codecs, <see cref="ArcFormatterOptions"/>); a <see cref="SupervisedModel{X, Y}"/> served by
/// <see cref="WorkerServices.Model{X, Y}"/> — the handler, its contract check and its gate, as for a user's model — on
/// a Kestrel host on loopback; and one Describe and one Predict through a client. X and Y are reference types, like
/// every Arc data type, so the generic code compiled here is the code shared by all of them.
/// </remarks>
internal static class StandbyWarmUp
{
    // How many throwaway deployments. One is not enough: the second host started in a process still spent 15–23 ms
    // in Kestrel's start (the third 2 ms), and with one round a deployment's first answer took 92–104 ms against
    // 71–80 ms with two or three (docs/performance.md, "Worker cold start").
    private const int Rounds = 3;

    // A line as the owner writes it (WorkerAssignment.ToLine); its assembly is never loaded.
    private static readonly string SampleAssignment =
        new WorkerAssignment("/standby/warm-up.dll", new Dictionary<string, string> { [WorkerEnvironment.Model] = "warm-up" }).ToLine();

    private const string ParametersWhat = "the standby warm-up's parameters";

    /// <summary>Runs every step <see cref="Rounds"/> times with <paramref name="token"/>, stopping each round's host.</summary>
    public static async Task RunAsync(string token, CancellationToken cancellationToken)
    {
        for (int i = 0; i < Rounds; i++) await RunOnceAsync(token, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RunOnceAsync(string token, CancellationToken cancellationToken)
    {
        _ = WorkerAssignment.Parse(SampleAssignment);
        var parameters = WireFormat.Deserialize(ParametersFormatter.Instance,
            WireFormat.Serialize(ParametersFormatter.Instance, new Parameters(Classes: 2)), ParametersWhat);

        await using var host = await ArcWorkerHost.StartAsync(WorkerServices.Model(new ConstantModel(parameters.Classes)),
            new ArcWorkerOptions { Token = token }, cancellationToken).ConfigureAwait(false);
        await using var model = await RemoteModel<ImageData, ClassData>.ConnectAsync(new Uri($"http://127.0.0.1:{host.Port}"), token, cancellationToken).ConfigureAwait(false);
        await model.PredictAsync(new ImageData(ArcArray.Zeros(ArcDType.Float32, 1, 1, 2, 2)), cancellationToken).ConfigureAwait(false);
    }

    private sealed record Parameters(int Classes);

    /// <summary>Written as the generator writes a parameters formatter: a map keyed by name, read with Arc's codecs.</summary>
    private sealed class ParametersFormatter : IMessagePackFormatter<Parameters>
    {
        public static readonly ParametersFormatter Instance = new();

        public void Serialize(ref MessagePackWriter writer, Parameters value, MessagePackSerializerOptions options)
        {
            writer.WriteMapHeader(1);
            writer.Write("classes");
            WireCodecs.Int32.Write(ref writer, value.Classes);
        }

        public Parameters Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            int classes = 1;
            int entries = WireReading.ReadMapHeader(ref reader, ParametersWhat);
            for (int entry = 0; entry < entries; entry++)
            {
                string key = WireReading.ReadKey(ref reader, ParametersWhat);
                if (key == "classes") classes = WireCodecs.Int32.Read(ref reader, key);
                else WireReading.Skip(ref reader, key);
            }
            return new Parameters(classes);
        }
    }

    /// <summary>Class 0 for every image: enough to run a served model's request path.</summary>
    private sealed class ConstantModel(int classes) : SupervisedModel<ImageData, ClassData>
    {
        private readonly string[] _labels = Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        public override string Name => "standby-warm-up";

        public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

        public override ClassData Predict(ImageData x) => new(new long[x.Count], _labels);

        public override void SaveWeights(Stream destination) { }

        public override void LoadWeights(Stream source) { }
    }
}
