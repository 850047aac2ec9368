using Arc.Hosting;
using Arc.Remote;

namespace Arc.Sdk;

/// <summary>Serves registered <c>[Pod]</c> methods as <c>arc.Pod</c> (pass it to <see cref="ArcWorkerHost.StartPodsAsync"/>).</summary>
public sealed class PodRegistrationHandler : IRemotePodHandler
{
    private readonly Dictionary<string, PodRegistration> _byName;
    private readonly PodCatalog _catalog;

    /// <summary>Serves <paramref name="pods"/>.</summary>
    /// <exception cref="ArgumentException">Two of them share a name.</exception>
    public PodRegistrationHandler(IEnumerable<PodRegistration> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        _byName = new Dictionary<string, PodRegistration>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            ArgumentNullException.ThrowIfNull(pod, nameof(pods));
            if (!_byName.TryAdd(pod.Name, pod) && !ReferenceEquals(_byName[pod.Name], pod))
                throw new ArgumentException($"two pods are named '{pod.Name}': {_byName[pod.Name]} and {pod}", nameof(pods));
        }
        _catalog = new PodCatalog(_byName.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(Describe).ToArray());
    }

    /// <inheritdoc />
    public PodCatalog Describe() => _catalog;

    /// <inheritdoc />
    public PodCall? Prepare(string pod, ReadOnlyMemory<byte> arguments)
    {
        if (!_byName.TryGetValue(pod, out var registration)) return null;
        var call = registration.PrepareFromWire(arguments);
        return async cancellationToken => await call(cancellationToken).ConfigureAwait(false);
    }

    private static PodDescription Describe(PodRegistration pod) => new(pod.Name,
        pod.Parameters.Select(p => new PodParameterDescription(p.Name, TypeName(p.Type))).ToArray(), TypeName(pod.ReturnType));

    private static string TypeName(Type type) => type.ToString();
}
