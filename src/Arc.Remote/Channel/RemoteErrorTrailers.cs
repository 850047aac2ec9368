using System.Text;
using Grpc.Core;

namespace Arc.Remote;

/// <summary>
/// How a worker reports a model's exception: status <see cref="StatusCode.Internal"/> with the detail
/// <c>"Type: message"</c>, plus three binary trailers holding UTF-8 text (binary so that any message or stack
/// survives HTTP/2 header rules): <c>arc-exception-type-bin</c>, <c>arc-exception-message-bin</c>,
/// <c>arc-exception-stack-bin</c>. The stack is sent only when the worker's owner turned on
/// <c>ArcWorkerOptions.DetailedErrors</c>; otherwise that trailer is empty and the stack stays in the worker.
/// </summary>
public static class RemoteErrorTrailers
{
    /// <summary>The remote exception's full type name.</summary>
    public const string TypeKey = "arc-exception-type-bin";

    /// <summary>The remote exception's message.</summary>
    public const string MessageKey = "arc-exception-message-bin";

    /// <summary>The remote exception's stack trace (with inner exceptions, as <see cref="Exception.ToString"/> gives them).</summary>
    public const string StackKey = "arc-exception-stack-bin";

    /// <summary>The longest text put in one trailer: HTTP/2 header blocks are limited, and a stack is not worth losing the call.</summary>
    public const int MaxTrailerChars = 8 * 1024;

    /// <summary>The <see cref="RpcException"/> for <paramref name="error"/>, with its stack only when <paramref name="includeStack"/>.</summary>
    public static RpcException ToRpcException(Exception error, bool includeStack)
    {
        ArgumentNullException.ThrowIfNull(error);
        string type = error.GetType().FullName ?? error.GetType().Name;
        var trailers = new Metadata
        {
            { TypeKey, Encode(type) },
            { MessageKey, Encode(error.Message) },
            { StackKey, Encode(includeStack ? error.StackTrace ?? "" : "") },
        };
        // The detail is a header of its own, percent-encoded: clipped shorter than the trailers (StatusDetails says why).
        return new RpcException(new Status(StatusCode.Internal, StatusDetails.Clip($"{type}: {error.Message}")), trailers);
    }

    /// <summary>Reads a trailer written by <see cref="ToRpcException(Exception, bool)"/>; null when absent.</summary>
    public static string? Read(Metadata trailers, string key)
    {
        var entry = trailers.Get(key);
        return entry is { IsBinary: true } ? Encoding.UTF8.GetString(entry.ValueBytes) : null;
    }

    private static byte[] Encode(string text) => Encoding.UTF8.GetBytes(StatusDetails.Clip(text, MaxTrailerChars));
}
