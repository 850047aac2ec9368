using Arc.Remote;
using Arc.Types;
namespace Arc.Hosting;

/// <summary>Runs one prepared pod call: the arguments are already read, so what fails here is the pod itself.</summary>
/// <param name="cancellationToken">Cancelled when the caller cancels, its deadline passes or the connection drops.</param>
/// <returns>The result's MessagePack bytes.</returns>
public delegate ValueTask<ReadOnlyMemory<byte>> PodCall(CancellationToken cancellationToken);

/// <summary>
/// What a worker serves as <c>arc.Pod</c>: the SDK implements it over registered <c>[Pod]</c> methods. Invoking is two
/// steps so that the service can tell a caller's mistake (unknown pod, malformed arguments) from the pod's own failure.
/// </summary>
public interface IRemotePodHandler
{
    /// <summary>The served pods, ordered by name.</summary>
    PodCatalog Describe();

    /// <summary>
    /// Reads <paramref name="arguments"/> for the pod named <paramref name="pod"/> and returns the call to run, or null
    /// when no served pod has that name.
    /// </summary>
    /// <exception cref="Arc.Types.ArcFormatException">The arguments are not a valid argument map for that pod.</exception>
    PodCall? Prepare(string pod, ReadOnlyMemory<byte> arguments);
}
