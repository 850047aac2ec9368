using Grpc.Core;
using Arc.Remote;
using Arc.Sdk;

namespace Arc.Sdk.Tests.Develop;

/// <summary>The arc.Develop marshallers: round trips, nil hyperparameters, forged counts.</summary>
public sealed class DevelopMessagesTests
{
    private static T RoundTrip<T>(Marshaller<T> marshaller, T value) => Decode(marshaller, Encode(marshaller, value));

    private static byte[] Encode<T>(Marshaller<T> marshaller, T value)
    {
        var context = new Writer();
        marshaller.ContextualSerializer(value, context);
        return context.Buffer.WrittenSpan.ToArray();
    }

    private static T Decode<T>(Marshaller<T> marshaller, byte[] payload) => marshaller.ContextualDeserializer(new Reader(payload));

    private sealed class Writer : SerializationContext
    {
        public System.Buffers.ArrayBufferWriter<byte> Buffer { get; } = new();
        public override System.Buffers.IBufferWriter<byte> GetBufferWriter() => Buffer;
        public override void Complete() { }
    }

    private sealed class Reader(byte[] payload) : DeserializationContext
    {
        public override int PayloadLength => payload.Length;
        public override System.Buffers.ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
    }

    [Fact]
    public void A_reload_request_round_trips_with_and_without_hyperparameters()
    {
        var files = new Dictionary<string, string> { ["b/c.dll"] = new('b', 64), ["a.dll"] = new('a', 64) };
        var none = RoundTrip(ArcDevelopMarshallers.Reload, new ReloadRequest("a.dll", files, "m", null));
        Assert.Null(none.Hyperparameters);
        Assert.Equal(files, none.Files);
        Assert.Equal(("a.dll", "m"), (none.Assembly, none.Model));

        var some = RoundTrip(ArcDevelopMarshallers.Reload, new ReloadRequest("a.dll", files, "m", new byte[] { 0x80 }));
        Assert.Equal(new byte[] { 0x80 }, some.Hyperparameters!.Value.ToArray());
    }

    [Fact]
    public void A_reload_request_carries_its_kind_and_one_without_a_kind_asks_for_a_model()
    {
        var files = new Dictionary<string, string> { ["a.dll"] = new('a', 64) };
        Assert.Equal(DevelopKinds.Job, RoundTrip(ArcDevelopMarshallers.Reload, new ReloadRequest("a.dll", files, "j", null) { Kind = DevelopKinds.Job }).Kind);
        Assert.Equal(DevelopKinds.Pods, RoundTrip(ArcDevelopMarshallers.Reload, new ReloadRequest("a.dll", files, "p", null) { Kind = DevelopKinds.Pods }).Kind);

        // {"assembly": "a.dll", "files": {}, "model": "m"}: what a client from before kinds sends.
        byte[] old = [0x83, 0xa8, .. "assembly"u8, 0xa5, .. "a.dll"u8, 0xa5, .. "files"u8, 0x80, 0xa5, .. "model"u8, 0xa1, (byte)'m'];
        Assert.Equal(DevelopKinds.Model, Decode(ArcDevelopMarshallers.Reload, old).Kind);

        byte[] unknown = Encode(ArcDevelopMarshallers.Reload, new ReloadRequest("a.dll", files, "m", null) { Kind = "actor" });
        var e = Assert.Throws<RpcException>(() => Decode(ArcDevelopMarshallers.Reload, unknown));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("kind: 'actor' is not a develop kind (model, job or pods)", e.Status.Detail);
    }

    [Fact]
    public void A_status_round_trips()
    {
        var status = RoundTrip(ArcDevelopMarshallers.Status, new DevelopStatus(7, DevelopStates.Failed, "m", "boom", 2, ["x.dll"]));
        Assert.Equal((7L, "failed", "m", "boom", 2), (status.Version, status.State, status.Model, status.Error, status.Unloading));
        Assert.Equal(["x.dll"], status.Shared);
    }

    [Fact]
    public void A_forged_file_count_fails_before_allocating()
    {
        // {"files": map32 with two billion entries} in a few bytes.
        byte[] forged = [0x81, 0xa5, (byte)'f', (byte)'i', (byte)'l', (byte)'e', (byte)'s', 0xdf, 0x7f, 0xff, 0xff, 0xff];
        var e = Assert.Throws<RpcException>(() => Decode(ArcDevelopMarshallers.Reload, forged));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("malformed 'reload request' (12 bytes, stopped at byte 12): files: the map header claims 2147483647 entries but only 0 bytes remain", e.Status.Detail);
    }
}
