using System.Globalization;
using System.Net;
using Arc.Remote;

namespace Arc.Worker;

/// <summary>
/// Where the worker listens: <c>ARC_WORKER_BIND</c> (an IP address, default <c>127.0.0.1</c>) and <c>ARC_WORKER_PORT</c>
/// (default 0: a free port, reported on the READY line).
/// </summary>
/// <remarks>
/// Loopback stays the default because the Arc protocol has no authentication: whoever reaches the port can fit, predict
/// and load weights. A child of <c>Target.LocalProcess</c> is only ever called from its owner on the same machine, so it
/// must not be reachable from the network. A Kubernetes pod is reached by its pod IP from elsewhere, so its manifest sets
/// <c>ARC_WORKER_BIND=0.0.0.0</c> and a fixed port explicitly; who may connect is then the cluster's network policy.
/// </remarks>
internal static class WorkerListen
{
    public static ArcWorkerOptions FromEnvironment()
    {
        var options = new ArcWorkerOptions();
        if (Environment.GetEnvironmentVariable("ARC_WORKER_BIND") is { Length: > 0 } bind)
        {
            if (!IPAddress.TryParse(bind, out var address))
                throw new InvalidOperationException($"ARC_WORKER_BIND='{bind}' is not an IP address (e.g. 127.0.0.1 or 0.0.0.0)");
            options = options with { Address = address };
        }
        if (Environment.GetEnvironmentVariable("ARC_WORKER_PORT") is { Length: > 0 } portText)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > IPEndPoint.MaxPort)
                throw new InvalidOperationException($"ARC_WORKER_PORT='{portText}' is not a port number (0-65535)");
            options = options with { Port = port };
        }
        return options;
    }
}
