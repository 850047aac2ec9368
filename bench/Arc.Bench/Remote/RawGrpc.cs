using System.Buffers.Binary;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Arc.Sdk;

namespace Arc.Bench.Remote;

/// <summary>
/// The baseline of the remote group: plain Grpc.Net with a byte[] marshaller and no Arc code on the call path. The
/// server answers with bytes prepared before the first call, so a raw call costs only gRPC, HTTP/2 and Kestrel.
/// </summary>
public static class RawGrpcMethods
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(static b => b, static b => b);

    /// <summary>One request, one reply (the Predict baseline).</summary>
    public static Method<byte[], byte[]> Unary { get; } = new(MethodType.Unary, "raw.Bench", "Unary", Bytes, Bytes);

    /// <summary>A request holding a little-endian int32 count, answered by that many messages (the job stream baseline).</summary>
    public static Method<byte[], byte[]> Stream { get; } = new(MethodType.ServerStreaming, "raw.Bench", "Stream", Bytes, Bytes);

    /// <summary>The request of <see cref="Stream"/> for <paramref name="count"/> messages.</summary>
    public static byte[] StreamRequest(int count)
    {
        var request = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(request, count);
        return request;
    }
}

/// <summary>What the raw server answers: the unary reply, and the message it streams.</summary>
public sealed record RawReplies(byte[] UnaryReply, byte[] StreamMessage);

/// <summary>The raw service: returns the prepared bytes, does nothing else.</summary>
public sealed class RawBenchService(RawReplies replies)
{
    /// <summary>Answers every request with <see cref="RawReplies.UnaryReply"/>.</summary>
    public Task<byte[]> Unary(byte[] request, ServerCallContext context) => Task.FromResult(replies.UnaryReply);

    /// <summary>Streams <see cref="RawReplies.StreamMessage"/> as many times as the request asks.</summary>
    public async Task Stream(byte[] request, IServerStreamWriter<byte[]> writer, ServerCallContext context)
    {
        int count = request.Length == 4 ? BinaryPrimitives.ReadInt32LittleEndian(request) : throw new RpcException(new Status(StatusCode.InvalidArgument, "expected an int32 count"));
        for (int i = 0; i < count; i++) await writer.WriteAsync(replies.StreamMessage, context.CancellationToken);
    }
}

/// <summary>Registers the raw methods without protobuf code generation (the same mechanism Arc's services use).</summary>
public sealed class RawBenchServiceMethodProvider : IServiceMethodProvider<RawBenchService>
{
    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<RawBenchService> context)
    {
        context.AddUnaryMethod(RawGrpcMethods.Unary, [], (service, request, call) => service.Unary(request, call));
        context.AddServerStreamingMethod(RawGrpcMethods.Stream, [], (service, request, writer, call) => service.Stream(request, writer, call));
    }
}

/// <summary>
/// Kestrel serving <see cref="RawBenchService"/> on 127.0.0.1 (a free port), h2c, configured as Arc's worker host is
/// (slim builder, no logging, 256 MiB message limits), so the comparison isolates Arc's own layers.
/// </summary>
public sealed class RawGrpcServer : IAsyncDisposable
{
    private const int MessageLimit = 256 * 1024 * 1024;
    private readonly WebApplication _app;

    private RawGrpcServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where to connect, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts the server and returns once it accepts connections.</summary>
    public static async Task<RawGrpcServer> StartAsync(RawReplies replies)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MessageLimit;
            grpc.MaxSendMessageSize = MessageLimit;
        });
        builder.Services.AddSingleton(replies);
        builder.Services.AddSingleton<RawBenchService>();
        builder.Services.AddSingleton<IServiceMethodProvider<RawBenchService>, RawBenchServiceMethodProvider>();
        var app = builder.Build();
        app.MapGrpcService<RawBenchService>();
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RawGrpcServer(app, new Uri(bound));
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
