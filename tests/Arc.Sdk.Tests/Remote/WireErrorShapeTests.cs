using System.Buffers;
using System.Text.RegularExpressions;
using Grpc.Core;
using MessagePack;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// One reader, one policy: the same hostile value — nested too deep, a forged huge length, a payload cut short — put
/// under an unknown key of every kind of payload Arc reads (a data value, hyperparameters, pod arguments, protocol
/// messages) is refused with the same limit and the same message shape,
/// <c>malformed &lt;what&gt; (&lt;n&gt; bytes, stopped at byte &lt;k&gt;): &lt;path&gt;: &lt;problem&gt;</c>.
/// </summary>
public sealed partial class WireErrorShapeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A hostile value and the problem every reader must report for it.</summary>
    public static TheoryData<string> Kinds => ["too deep", "huge declared length", "truncated"];

    // A million nested one-element arrays: following them would overflow the stack.
    private static readonly byte[] TooDeep = [.. Enumerable.Repeat((byte)0x91, 1_000_000), 0xc0];

    // A str32 header claiming 2 GB, followed by three bytes: refused before anything is allocated for it.
    private static readonly byte[] HugeDeclaredLength = [0xdb, 0x7f, 0xff, 0xff, 0xff, 0x61, 0x62, 0x63];

    // A float64 with three of its eight bytes: the payload ends inside the value.
    private static readonly byte[] Truncated = [0xcb, 0x3f, 0xf0, 0x00];

    private static (Payload.Writing Value, string Problem) Hostile(string kind) => kind switch
    {
        "too deep" => ((ref MessagePackWriter w) => w.WriteRaw(TooDeep), $"values nested deeper than {WireLimits.MaxDepth} levels"),
        "huge declared length" => ((ref MessagePackWriter w) => w.WriteRaw(HugeDeclaredLength), "the string claims 2147483647 bytes but only 3 remain"),
        _ => ((ref MessagePackWriter w) => w.WriteRaw(Truncated), "the payload ends inside a value"),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_data_value_reports_the_field_of_the_image(string kind)
    {
        var (value, problem) = Hostile(kind);
        byte[] payload = Payload.Build((ref MessagePackWriter w) => ImageWith(ref w, value));

        var e = Assert.Throws<ArcFormatException>(() => ArcWire.Deserialize<ImageData>(payload));

        AssertShape(e.Message, payload, "'image'", "image.future", problem);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Hyperparameters_report_the_model(string kind)
    {
        var (value, problem) = Hostile(kind);
        var registration = Assert.IsType<ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>>(ArcRegistry.FindModel("workermlp"));
        byte[] payload = Payload.Build((ref MessagePackWriter w) => { w.WriteMapHeader(1); w.Write("future"); value(ref w); });

        var e = Assert.Throws<ArcFormatException>(() => registration.ReadParameters(payload));

        AssertShape(e.Message, payload, "hyperparameters of model 'workermlp'", "future", problem);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Pod_arguments_report_the_pod(string kind)
    {
        var (value, problem) = Hostile(kind);
        byte[] payload = Payload.Build((ref MessagePackWriter w) => { w.WriteMapHeader(1); w.Write("future"); value(ref w); });

        var e = Assert.Throws<ArcFormatException>(() => TestPods.ScaleAsyncPod.PrepareFromWire(payload));

        AssertShape(e.Message, payload, "arguments of pod 'test.scale'", "future", problem);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_fit_request_reports_the_field_inside_x(string kind)
    {
        var (value, problem) = Hostile(kind);
        byte[] payload = Payload.Build((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(2);
            w.Write("y");
            ClassData.WriteWire(ref w, new ClassData([0L], ["a"]));
            w.Write("x");
            ImageWith(ref w, value); // last, so that a truncated value ends the payload
        });

        string detail = InvalidArgument(ArcMarshallers.Fit<ImageData, ClassData>(), payload);

        AssertShape(detail, payload, "'fit request'", "x.future", problem);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_pod_invoke_request_reports_its_arguments(string kind)
    {
        var (value, problem) = Hostile(kind);
        byte[] payload = Payload.Build((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(2);
            w.Write("pod");
            w.Write("test.scale");
            w.Write("arguments");
            w.WriteMapHeader(1);
            w.Write("future");
            value(ref w);
        });

        string detail = InvalidArgument(ArcPodMarshallers.InvokeRequest, payload);

        AssertShape(detail, payload, "'pod invoke request'", "arguments", problem);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_job_stream_request_reports_the_unknown_key(string kind)
    {
        var (value, problem) = Hostile(kind);
        byte[] payload = Payload.Build((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(3);
            w.Write("batch_size");
            w.Write(4);
            w.Write("split");
            w.Write("train");
            w.Write("future");
            value(ref w);
        });

        string detail = InvalidArgument(ArcJobMarshallers.StreamRequest, payload);

        AssertShape(detail, payload, "'job stream request'", "future", problem);
    }

    [Fact]
    public async Task A_worker_refuses_pod_arguments_nested_too_deep_and_keeps_serving()
    {
        await using var host = await ArcWorkerHost.StartPodsAsync(new PodRegistrationHandler([TestPods.ScaleAsyncPod]), cancellationToken: Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var raw = Marshallers.Create<byte[]>(bytes => bytes, bytes => bytes);
        var invoke = new Method<byte[], byte[]>(MethodType.Unary, ArcPodMethods.ServiceName, "Invoke", raw, raw);
        var (deep, problem) = Hostile("too deep");
        byte[] request = Payload.Build((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(2);
            w.Write("pod");
            w.Write("test.scale");
            w.Write("arguments");
            w.WriteMapHeader(1);
            w.Write("values");
            deep(ref w);
        });

        var e = await Assert.ThrowsAsync<RpcException>(() => channel.CallInvoker.AsyncUnaryCall(invoke, null, new CallOptions(cancellationToken: Ct), request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        AssertShape(e.Status.Detail, request, "'pod invoke request'", "arguments", problem);
        await using var worker = PodWorker.Connect(host.Address, host.ClientOptions);
        Assert.Equal(new double[] { 2.0, 4.0 }, await TestPods.ScaleRemoteAsync(worker, [1, 2], cancellationToken: Ct));
    }

    [GeneratedRegex(@"^malformed (?<what>.+) \((?<length>\d+) bytes, stopped at byte (?<stopped>\d+)\): (?<path>.+?): (?<problem>.+)$", RegexOptions.Singleline)]
    private static partial Regex Shape();

    private static void AssertShape(string message, byte[] payload, string what, string path, string problem)
    {
        var match = Shape().Match(message);
        Assert.True(match.Success, $"not the one error shape: {message}");
        Assert.Equal(what, match.Groups["what"].Value);
        Assert.Equal(payload.Length, int.Parse(match.Groups["length"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(int.Parse(match.Groups["stopped"].Value, System.Globalization.CultureInfo.InvariantCulture), 1, payload.Length);
        Assert.Equal(path, match.Groups["path"].Value);
        Assert.Equal(problem, match.Groups["problem"].Value);
    }

    /// <summary>Decodes <paramref name="payload"/> as a worker does and returns the InvalidArgument detail it must raise.</summary>
    private static string InvalidArgument<T>(Marshaller<T> marshaller, byte[] payload)
    {
        var e = Assert.Throws<RpcException>(() => marshaller.ContextualDeserializer(new BytesContext(payload)));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        return e.Status.Detail;
    }

    /// <summary>A valid 1×1×1×2 image with one more key, <c>future</c>, last.</summary>
    private static void ImageWith(ref MessagePackWriter w, Payload.Writing future)
    {
        w.WriteMapHeader(6);
        w.Write("arc"); w.Write("image");
        w.Write("v"); w.Write(ArcWire.Version);
        w.Write("dtype"); w.Write("float32");
        w.Write("shape"); w.WriteArrayHeader(4); w.Write(1); w.Write(1); w.Write(1); w.Write(2);
        w.Write("data"); w.Write(new byte[8]);
        w.Write("future"); future(ref w);
    }

    private sealed class BytesContext(byte[] payload) : DeserializationContext
    {
        public override int PayloadLength => payload.Length;
        public override byte[] PayloadAsNewBuffer() => (byte[])payload.Clone();
        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
    }

    /// <summary>Builds MessagePack payloads.</summary>
    private static class Payload
    {
        public delegate void Writing(ref MessagePackWriter writer);

        public static byte[] Build(Writing write)
        {
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(buffer);
            write(ref writer);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
    }
}
