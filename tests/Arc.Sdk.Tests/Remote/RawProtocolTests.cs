using Grpc.Core;
using MessagePack;
using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>The protocol as a client without Arc's .NET types sees it: fixed paths and plain MessagePack bytes.</summary>
public sealed class RawProtocolTests
{
    private const int Rows = 3, Width = 2;

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);

    private static Method<byte[], byte[]> RawMethod(string name) => new(MethodType.Unary, "arc.Model", name, Raw, Raw);

    [Fact]
    public async Task Describe_and_SaveWeights_accept_nil_or_an_empty_map_and_answer_plain_MessagePack()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), cancellationToken: ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var options = new CallOptions(cancellationToken: ct);

        byte[] description = await channel.CallInvoker.AsyncUnaryCall(RawMethod("Describe"), null, options, [0x80]); // {}
        var reader = new MessagePackReader(description);
        var fields = new Dictionary<string, string>();
        for (int n = reader.ReadMapHeader(), i = 0; i < n; i++) fields[reader.ReadString()!] = reader.ReadString()!;
        Assert.Equal(new Dictionary<string, string> { ["name"] = "rowargmax", ["x"] = "image", ["y"] = "class" }, fields);

        byte[] weights = await channel.CallInvoker.AsyncUnaryCall(RawMethod("SaveWeights"), null, options, [0xC0]); // nil
        var weightsReader = new MessagePackReader(weights);
        Assert.Equal(Rows * sizeof(float), weightsReader.ReadBytes()!.Value.Length);
        Assert.True(weightsReader.End);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => channel.CallInvoker.AsyncUnaryCall(RawMethod("SaveWeights"), null, options, [0x81, 0xA1, 0x61, 0x01]).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("expected nil or an empty map", error.Status.Detail);
    }

    [Fact]
    public async Task Concurrent_predictions_over_one_channel_each_get_their_own_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), cancellationToken: ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteModelClient<ImageData, ClassData>(channel);
        var batches = Enumerable.Range(0, 16).Select(seed => RemoteTestData.Images(8 + seed, Rows, Width, seed)).ToArray();

        var answers = await Task.WhenAll(batches.Select(b => client.PredictAsync(b.Images, cancellationToken: ct)));

        for (int i = 0; i < batches.Length; i++)
            Assert.Equal(RowArgmaxModel.Expected(batches[i].Pixels, 8 + i, Rows, Width, new float[Rows]), answers[i].IndexSpan.ToArray());
    }
}
