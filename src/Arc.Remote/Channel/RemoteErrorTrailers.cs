using System.Text;
using Grpc.Core;

namespace Arc.Remote;

/// <summary>
/// How a worker reports a model's exception: status <see cref="StatusCode.Internal"/> with the detail
/// <c>"Type: message"</c>, plus three binary trailers holding UTF-8 text (binary so that any message or stack
/// survives HTTP/2 header rules): <c>arc-exception-type-bin</c>, <c>arc-exception-message-bin</c>,
/// <c>arc-exception-stack-bin</c>. The stack is sent only when the worker's owner turned on
/// <c>ArcWorkerOptions.DetailedErrors</c>; otherwise that trailer is empty and the stack stays in the worker.
/// An argument error (an <see cref="ArgumentException"/> of the model's) is reported as
/// <see cref="StatusCode.InvalidArgument"/> with the same trailers, its message without the parameter suffix .NET adds,
/// and a fourth, <c>arc-exception-param-bin</c>, naming the parameter, so that a client can raise the same exception
/// with the same text as in process (docs/errors.md).
/// </summary>
public static class RemoteErrorTrailers
{
    /// <summary>The remote exception's full type name.</summary>
    public const string TypeKey = "arc-exception-type-bin";

    /// <summary>The remote exception's message.</summary>
    public const string MessageKey = "arc-exception-message-bin";

    /// <summary>The remote exception's stack trace (with inner exceptions, as <see cref="Exception.ToString"/> gives them).</summary>
    public const string StackKey = "arc-exception-stack-bin";

    /// <summary>The parameter an argument error names (empty when it names none); sent with <see cref="StatusCode.InvalidArgument"/> only.</summary>
    public const string ParamKey = "arc-exception-param-bin";

    /// <summary>The actual value an <see cref="ArgumentOutOfRangeException"/> names, as text; absent when it names none.</summary>
    public const string ActualValueKey = "arc-exception-actual-bin";

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

    /// <summary>
    /// The <see cref="RpcException"/> for an argument error: <see cref="StatusCode.InvalidArgument"/>, the type, the
    /// message as the exception was created with it (without <c>" (Parameter 'name')"</c>), the parameter's name, and
    /// the stack only when <paramref name="includeStack"/>.
    /// </summary>
    public static RpcException ToRpcException(ArgumentException error, bool includeStack)
    {
        ArgumentNullException.ThrowIfNull(error);
        string type = error.GetType().FullName ?? error.GetType().Name;
        var (message, parameter, actualValue) = SplitParameter(error);
        var trailers = new Metadata
        {
            { TypeKey, Encode(type) },
            { MessageKey, Encode(message) },
            { ParamKey, Encode(parameter ?? "") },
            { StackKey, Encode(includeStack ? error.StackTrace ?? "" : "") },
        };
        if (actualValue is not null) trailers.Add(ActualValueKey, Encode(actualValue));
        return new RpcException(new Status(StatusCode.InvalidArgument, StatusDetails.Clip($"{type}: {error.Message}")), trailers);
    }

    /// <summary>
    /// The message <paramref name="error"/> was created with, its parameter and (for an out-of-range exception) its actual
    /// value as text: .NET appends <c>" (Parameter 'name')"</c> and <c>"Actual value was v."</c> (in the current culture)
    /// to <see cref="ArgumentException.Message"/>, and a client rebuilding the exception from the parts gets exactly the
    /// same text. A message that does not end as expected (a subclass with its own <c>Message</c>) is kept whole, without
    /// the parts, so its text still survives.
    /// </summary>
    internal static (string Message, string? Parameter, string? ActualValue) SplitParameter(ArgumentException error)
    {
        string full = error.Message;
        if (string.IsNullOrEmpty(error.ParamName)) return (full, null, null);
        object? actual = (error as ArgumentOutOfRangeException)?.ActualValue;
        string suffix = actual is null
            ? new ArgumentException("", error.ParamName).Message
            : new ArgumentOutOfRangeException(error.ParamName, actual, "").Message;
        return full.EndsWith(suffix, StringComparison.Ordinal)
            ? (full[..^suffix.Length], error.ParamName, actual?.ToString())
            : (full, null, null);
    }

    /// <summary>Reads a trailer written by <see cref="ToRpcException(Exception, bool)"/>; null when absent.</summary>
    public static string? Read(Metadata trailers, string key)
    {
        var entry = trailers.Get(key);
        return entry is { IsBinary: true } ? Encoding.UTF8.GetString(entry.ValueBytes) : null;
    }

    private static byte[] Encode(string text) => Encoding.UTF8.GetBytes(StatusDetails.Clip(text, MaxTrailerChars));
}
