using Grpc.Core;
using Arc.Remote;

namespace Arc.Sdk.Tests.Errors;

/// <summary>
/// Every gRPC status a call can end with becomes one of the exceptions docs/errors.md lists, never an
/// <see cref="RpcException"/>, and an argument error keeps its type, message, parameter and actual value exactly.
/// </summary>
public sealed class RemoteCallErrorsTests
{
    private const string Method = "/arc.Model/Predict";

    private static readonly ArcChannel Channel = new(new Uri("http://127.0.0.1:1"), new ArcChannelOptions { Token = ArcWorkerToken.Generate() });

    // The test's token is never cancelled: the translation does not take it as the caller's.
    private static Exception Translate(RpcException error, CancellationToken? callerToken = null)
        => RemoteCallErrors.Translate(error, Channel, Method, callerToken ?? TestContext.Current.CancellationToken);

    public static TheoryData<StatusCode> EveryFailure => [.. Enum.GetValues<StatusCode>().Where(s => s != StatusCode.OK)];

    [Theory]
    [MemberData(nameof(EveryFailure))]
    public void No_status_stays_an_RpcException_and_each_keeps_it_as_the_inner_exception(StatusCode status)
    {
        var error = new RpcException(new Status(status, "detail"));

        var translated = Translate(error);

        Assert.IsNotType<RpcException>(translated);
        Assert.Same(error, translated.InnerException);
        var expected = status switch
        {
            StatusCode.Cancelled or StatusCode.DeadlineExceeded => typeof(OperationCanceledException),
            StatusCode.InvalidArgument => typeof(ArgumentException),
            StatusCode.Unavailable => typeof(ArcWorkerUnavailableException),
            StatusCode.Unauthenticated => typeof(ArcWorkerAuthenticationException),
            _ => typeof(ArcRemoteCallException),
        };
        Assert.IsType(expected, translated);
        if (translated is ArcRemoteCallException call) Assert.Equal((status, "detail", Method), (call.StatusCode, call.Detail, call.Method));
    }

    [Fact]
    public void A_cancelled_call_carries_the_callers_token_when_the_caller_cancelled()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();

        var translated = Assert.IsType<OperationCanceledException>(
            Translate(new RpcException(new Status(StatusCode.Cancelled, "")), source.Token));

        Assert.Equal(source.Token, translated.CancellationToken);
    }

    [Fact]
    public void An_exception_of_the_worker_is_ArcRemoteException_with_its_type_message_and_stack()
    {
        var sent = RemoteErrorTrailers.ToRpcException(new InvalidOperationException("broken"), includeStack: false);

        var translated = Assert.IsType<ArcRemoteException>(Translate(sent));

        Assert.Equal((typeof(InvalidOperationException).FullName, "broken", ""), (translated.RemoteType, translated.RemoteMessage, translated.RemoteStackTrace));
    }

    public static TheoryData<ArgumentException> ArgumentErrors =>
    [
        new ArgumentException("3 inputs but 2 targets", "y"),
        new ArgumentException("no parameter named"),
        new ArgumentNullException("x"),
        new ArgumentNullException("x", "x is required"),
        new ArgumentOutOfRangeException("count", 7, "the split has only 6 samples"),
        new ArgumentOutOfRangeException("count", "no actual value"),
        new ArgumentOutOfRangeException("count"),
        new ArgumentException("ünïcödé and a quote ' (Parameter 'not really')", "p"),
    ];

    [Theory]
    [MemberData(nameof(ArgumentErrors))]
    public void An_argument_error_of_the_worker_is_the_same_exception_with_the_same_text(ArgumentException thrown)
    {
        var sent = RemoteErrorTrailers.ToRpcException(thrown, includeStack: false);
        Assert.Equal(StatusCode.InvalidArgument, sent.StatusCode);

        var translated = Assert.IsAssignableFrom<ArgumentException>(Translate(sent));

        Assert.Equal(thrown.GetType(), translated.GetType());
        Assert.Equal(thrown.Message, translated.Message);
        Assert.Equal(thrown.ParamName, translated.ParamName);
        Assert.Equal((thrown as ArgumentOutOfRangeException)?.ActualValue?.ToString(), (translated as ArgumentOutOfRangeException)?.ActualValue?.ToString());
    }

    [Fact]
    public void A_request_the_worker_could_not_read_is_ArgumentException_with_its_detail()
    {
        var refused = new RpcException(new Status(StatusCode.InvalidArgument, "malformed 'fit request' (4 bytes, stopped at byte 3): x: …"));

        var translated = Assert.IsType<ArgumentException>(Translate(refused));

        Assert.Equal(refused.Status.Detail, translated.Message);
        Assert.Null(translated.ParamName);
    }

    [Fact]
    public void Only_a_failed_connection_counts_as_a_transport_failure()
    {
        Assert.True(RemoteCallErrors.IsTransportFailure(Translate(new RpcException(new Status(StatusCode.Unavailable, "")))));
        Assert.True(RemoteCallErrors.IsTransportFailure(Translate(new RpcException(new Status(StatusCode.Internal, "reset")))));
        Assert.False(RemoteCallErrors.IsTransportFailure(Translate(
            RemoteErrorTrailers.ToRpcException(new InvalidOperationException("model"), includeStack: false))));
        Assert.False(RemoteCallErrors.IsTransportFailure(Translate(new RpcException(new Status(StatusCode.Cancelled, "")))));
        Assert.False(RemoteCallErrors.IsTransportFailure(Translate(
            RemoteErrorTrailers.ToRpcException(new ArgumentException("shape", "x"), includeStack: false))));
        Assert.False(RemoteCallErrors.IsTransportFailure(new ObjectDisposedException("model")));
    }
}
