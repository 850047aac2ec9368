using Grpc.Core;

namespace Arc.Worker;

/// <summary>
/// A develop request the worker refuses before running any of it (a path leaving the build folder, a digest that does
/// not match, a blob it does not hold, a store that is full): answered with <see cref="Status"/> (by default
/// <c>InvalidArgument</c>), not as a failure of the user's code.
/// </summary>
internal sealed class DevelopRequestException(string message, StatusCode status = StatusCode.InvalidArgument) : Exception(message)
{
    /// <summary>The gRPC status the refusal is answered with.</summary>
    public StatusCode Status { get; } = status;
}
