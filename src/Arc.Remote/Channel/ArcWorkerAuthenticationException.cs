namespace Arc.Remote;

/// <summary>
/// A worker refused a call because it carried no token or the wrong one (gRPC status <c>Unauthenticated</c>). Every
/// Arc worker requires the token of its deployment: pass it as <see cref="ArcChannelOptions.Token"/>.
/// </summary>
public sealed class ArcWorkerAuthenticationException : UnauthorizedAccessException
{
    /// <summary>Creates the exception for a call to <paramref name="method"/> at <paramref name="endpoint"/>.</summary>
    public ArcWorkerAuthenticationException(string endpoint, string method, Exception inner)
        : base($"the Arc worker at {endpoint} refused {method}: the call's token is missing or wrong " +
               "(pass the worker's token, e.g. ArcChannelOptions.Token or RemoteModel.ConnectAsync(address, token))", inner)
    {
        Endpoint = endpoint;
    }

    /// <summary>The worker's address.</summary>
    public string Endpoint { get; }
}
