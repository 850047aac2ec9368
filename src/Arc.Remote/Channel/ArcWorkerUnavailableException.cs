namespace Arc.Remote;

/// <summary>No worker answered at an address: not started, gone, or unreachable.</summary>
public sealed class ArcWorkerUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="endpoint"/>.</summary>
    public ArcWorkerUnavailableException(string endpoint, string method, Exception inner)
        : base($"no Arc worker answered {method} at {endpoint}: {inner.Message}", inner)
    {
        Endpoint = endpoint;
    }

    /// <summary>The address that did not answer.</summary>
    public string Endpoint { get; }
}
