using System.Buffers;
using System.Globalization;
using System.Threading.RateLimiting;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Arc.Hosting;

/// <summary>
/// The limits of <see cref="ArcWorkerOptions"/> applied to a worker host: Kestrel's connection, stream and timeout
/// limits; one bounded queue of calls (a concurrency limiter that runs before gRPC reads a request body, so a waiting
/// call costs no memory beyond HTTP/2's flow-control window, and a call beyond the queue gets <c>ResourceExhausted</c>
/// at once); and a default deadline for unary calls that set none.
/// </summary>
internal static class WorkerLimits
{
    public static void ApplyTo(KestrelServerLimits limits, ArcWorkerOptions options)
    {
        // Kestrel's own body limit is for HTTP/1 uploads; gRPC's message limits are the ones that apply.
        limits.MaxRequestBodySize = null;
        limits.MaxConcurrentConnections = options.MaxConnections;
        limits.MaxConcurrentUpgradedConnections = 0;
        limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        limits.KeepAliveTimeout = options.IdleConnectionTimeout;
        limits.RequestHeadersTimeout = options.HandshakeTimeout;
        limits.MinRequestBodyDataRate = MinRequestBodyDataRate;
        limits.Http2.InitialStreamWindowSize = options.CallReceiveWindowBytes;
        limits.Http2.InitialConnectionWindowSize = ConnectionWindowBytes(options);
    }

    /// <summary>
    /// The slowest a caller may send a request body: Kestrel's 240 bytes/s, but measured only after 30 seconds rather than 5.
    /// Over HTTP/2 Kestrel measures the rate for a whole connection and on a violation resets the connection, failing every
    /// call on it; a client that stalls for 5 seconds (its own process starved on a loaded machine, seen in a 1,000-call
    /// flood on 2 cores at load 6 to 20) lost all 50 calls of a connection that way. A caller too slow for good still loses
    /// its connection, and a running call also ends at its deadline.
    /// </summary>
    internal static readonly MinDataRate MinRequestBodyDataRate = new(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(30));

    /// <summary>
    /// The HTTP/2 window of a whole connection. HTTP/2 counts every byte a connection has received but not yet read against
    /// it, whichever call the byte belongs to, and Kestrel opens it again only in steps of half its size. Queued calls are
    /// not read, so if what they hold plus that unannounced half could reach the window, the running calls on the
    /// connection would receive nothing more, never finish, and never let the queued ones run (seen: 72 large Fits on one
    /// connection with Kestrel's default 1 MiB window all ended DeadlineExceeded). So the window is more than twice a call
    /// window for every call that can hold unread bytes on one connection; what a connection really holds stays bounded by
    /// its calls' windows.
    /// </summary>
    internal static int ConnectionWindowBytes(ArcWorkerOptions options)
    {
        long calls = Math.Min(options.MaxStreamsPerConnection, (long)options.MaxConcurrentCalls + options.MaxQueuedCalls);
        long bytes = (2 * calls + 1) * options.CallReceiveWindowBytes;
        return (int)Math.Clamp(bytes, ArcWorkerOptions.MinimumCallReceiveWindowBytes, int.MaxValue);
    }

    public static void AddCallLimiter(IServiceCollection services, ArcWorkerOptions options)
    {
        if (options.MaxConcurrentCalls < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrentCalls, "ArcWorkerOptions.MaxConcurrentCalls must be at least 1");
        if (options.MaxQueuedCalls < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxQueuedCalls, "ArcWorkerOptions.MaxQueuedCalls cannot be negative");
        if (options.CallReceiveWindowBytes < ArcWorkerOptions.MinimumCallReceiveWindowBytes)
            throw new ArgumentOutOfRangeException(nameof(options), options.CallReceiveWindowBytes,
                $"ArcWorkerOptions.CallReceiveWindowBytes must be at least {ArcWorkerOptions.MinimumCallReceiveWindowBytes} (HTTP/2's smallest initial window)");
        // One partition for the whole host: a worker serves one model (or job, or set of pods), so this is the model's
        // queue. The partitioned limiter disposes a partition's limiter once it has been idle for a while and calls the
        // factory again for the next request, so the factory must make a new limiter each time; one captured instance
        // would be disposed under the host and every later call would fail with HTTP 500.
        var limits = new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentCalls,
            QueueLimit = options.MaxQueuedCalls,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
        string message = $"the worker is busy: {options.MaxConcurrentCalls} calls are running and {options.MaxQueuedCalls} are waiting; retry later";
        services.AddRateLimiter(rateLimiter =>
        {
            rateLimiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, int>(_ => RateLimitPartition.GetConcurrencyLimiter(0, _ => limits));
            rateLimiter.OnRejected = (rejected, _) => RejectAsResourceExhausted(rejected.HttpContext, message, options.MaxReceiveMessageBytes);
        });
    }

    /// <summary>
    /// Ends a refused call as gRPC does a call that fails before any message: HTTP 200, <c>application/grpc</c>, and the
    /// status in the headers ("trailers-only"), so every gRPC client reads <c>ResourceExhausted</c> rather than an HTTP error.
    /// The response is sent at once; then what the caller had already sent of its request is read and dropped
    /// (<see cref="DrainRefusedBody"/>).
    /// </summary>
    private static async ValueTask RejectAsResourceExhausted(HttpContext context, string message, int maxBodyBytes)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)StatusCode.ResourceExhausted).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        await response.CompleteAsync().ConfigureAwait(false);
        await DrainRefusedBody(context, maxBodyBytes).ConfigureAwait(false);
    }

    /// <summary>How long a refused call's request is read and dropped at most, for a caller that neither finishes nor stops.</summary>
    internal static readonly TimeSpan RefusedBodyDrainLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reads and drops a refused call's request body until its end, the caller's reset, one message's worth of bytes, or
    /// <see cref="RefusedBodyDrainLimit"/>. Were the handler to return at once, Kestrel would reset the stream and keep
    /// accepting its DATA frames for only 5 seconds (not configurable); a caller that sends a frame later — a busy client on
    /// a loaded machine, still writing the refused call's first window before it reads the refusal — then gets the whole
    /// connection closed with STREAM_CLOSED, failing every other call on it (seen: 21 of 1,000 calls in a flood at load
    /// 14). Reading costs no memory (each chunk is dropped) and holds no slot in the queue; a caller that reads the refusal
    /// resets the stream and the drain ends.
    /// </summary>
    private static async Task DrainRefusedBody(HttpContext context, int maxBodyBytes)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        limit.CancelAfter(RefusedBodyDrainLimit);
        try
        {
            // The gRPC frame (5 bytes) around the largest message the worker would have read.
            long left = (long)maxBodyBytes + 5;
            while (left > 0)
            {
                int read = await context.Request.Body.ReadAsync(buffer, limit.Token).ConfigureAwait(false);
                if (read == 0) return;
                left -= read;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            // The caller reset the call, went away or stalled: there is nothing more to drop.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Middleware that gives a unary call without a <c>grpc-timeout</c> header the default deadline, as if its caller had
    /// set one; gRPC then cancels the handler's token when it passes. Streams keep no deadline unless their caller sets one.
    /// </summary>
    public static Func<HttpContext, RequestDelegate, Task> DefaultDeadline(TimeSpan deadline)
    {
        // grpc-timeout allows at most 8 digits: milliseconds up to a day, seconds beyond.
        long ms = (long)Math.Ceiling(deadline.TotalMilliseconds);
        string header = ms <= 99_999_999
            ? ms.ToString(CultureInfo.InvariantCulture) + "m"
            : Math.Min((long)Math.Ceiling(deadline.TotalSeconds), 99_999_999).ToString(CultureInfo.InvariantCulture) + "S";
        return (context, next) =>
        {
            if (!context.Request.Headers.ContainsKey("grpc-timeout")
                && context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { Method.Type: MethodType.Unary })
                context.Request.Headers["grpc-timeout"] = header;
            return next(context);
        };
    }
}
