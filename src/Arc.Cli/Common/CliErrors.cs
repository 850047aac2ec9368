using Arc.Tracking;
using Grpc.Core;

namespace Arc.Cli;

/// <summary>Turns what a command threw into the line it prints and the exit code it ends with (<see cref="ExitCodes"/>).</summary>
internal static class CliErrors
{
    public static (string Message, int ExitCode) Describe(Exception exception, string? server) => exception switch
    {
        CliException cli => (cli.Message, cli.ExitCode),
        TrackingNotFoundException e => (e.Message, ExitCodes.NotFound),
        TrackingAlreadyExistsException e => (e.Message, ExitCodes.AlreadyExists),
        TrackingException e => (e.Message, ExitCodes.Failure),
        ArgumentException e => (e.Message, ExitCodes.Usage),
        RpcException { StatusCode: StatusCode.Unavailable } e => (
            $"cannot reach the tracking server at {server}: {Inner(e)} (start one with `arc server start`, or point --server / ARC_TRACKING_URI at it)",
            ExitCodes.Unavailable),
        RpcException { StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied } e => (
            $"the tracking server refused access: {e.Status.Detail}", ExitCodes.AccessDenied),
        RpcException { StatusCode: StatusCode.DeadlineExceeded } => ($"the tracking server at {server} did not answer in time", ExitCodes.Unavailable),
        RpcException e => ($"the tracking server answered {e.StatusCode}: {e.Status.Detail}", ExitCodes.Failure),
        _ => ($"{exception.GetType().Name}: {exception.Message}", ExitCodes.Failure),
    };

    private static string Inner(RpcException e) => e.Status.DebugException?.InnerException?.Message ?? e.Status.DebugException?.Message ?? e.Status.Detail;
}
