namespace Arc.Remote;

/// <summary>
/// A model on a worker threw: carries the remote exception's type, message and stack trace (as the worker sent
/// them in its trailers) and the worker's address.
/// </summary>
public sealed class ArcRemoteException : Exception
{
    /// <summary>Creates the exception for a failure reported by the worker at <paramref name="endpoint"/>.</summary>
    public ArcRemoteException(string endpoint, string method, string remoteType, string remoteMessage, string remoteStackTrace,
        Exception? inner = null)
        : base($"{method} on {endpoint} failed: {remoteType}: {remoteMessage}", inner)
    {
        Endpoint = endpoint;
        Method = method;
        RemoteType = remoteType;
        RemoteMessage = remoteMessage;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The worker's address.</summary>
    public string Endpoint { get; }

    /// <summary>The gRPC method that failed, e.g. <c>/arc.Model/Predict</c>.</summary>
    public string Method { get; }

    /// <summary>The remote exception's full .NET type name (or the worker's language's equivalent).</summary>
    public string RemoteType { get; }

    /// <summary>The remote exception's message.</summary>
    public string RemoteMessage { get; }

    /// <summary>The remote exception's stack trace, as text.</summary>
    public string RemoteStackTrace { get; }
}
