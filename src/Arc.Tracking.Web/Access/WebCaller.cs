using Arc.Tracking.Server;

namespace Arc.Tracking.Web;

/// <summary>
/// Who is looking: the token from the cookie (null when the server has no tokens, where everyone reads and writes, which
/// only a loopback server allows). Pages list only what it reads and draw write controls only where it writes.
/// </summary>
internal sealed class WebCaller(TrackingToken? token, bool open)
{
    /// <summary>The caller's token, or null on an open server.</summary>
    public TrackingToken? Token { get; } = token;

    /// <summary>True on a server without tokens.</summary>
    public bool Open { get; } = open;

    public bool CanRead(string @namespace) => Open || Token?.Allows(@namespace, TrackingAccess.Read) == true;

    public bool CanWrite(string @namespace) => Open || Token?.Allows(@namespace, TrackingAccess.Write) == true;
}
