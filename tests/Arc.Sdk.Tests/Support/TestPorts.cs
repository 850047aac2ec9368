using System.Net;
using System.Net.Sockets;

namespace Arc.Sdk.Tests.Support;

/// <summary>
/// Ports for servers that a test starts later in another process (a fake kubelet's worker, docker-registry), so the
/// test must name the port before anything listens on it. A port from the kernel's ephemeral range (what binding port
/// 0 gives) is free now but may become the source port of some other connection before the server binds it: under a
/// connection flood in a parallel test that happened ("address already in use"). These ports come from below that
/// range, where the kernel never picks source ports, chosen at random among those free right now.
/// </summary>
internal static class TestPorts
{
    private const int Lowest = 20_000;

    public static int Free()
    {
        int highest = EphemeralRangeStart() - 1;
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = Random.Shared.Next(Lowest, highest + 1);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken; try another
            }
        }
        throw new InvalidOperationException($"no free port between {Lowest} and {highest} after 200 tries");
    }

    // /proc/sys/net/ipv4/ip_local_port_range: "32768\t60999" by default.
    private static int EphemeralRangeStart()
    {
        string range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
        int start = int.Parse(range.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        if (start <= Lowest + 1000)
            throw new InvalidOperationException($"the ephemeral port range starts at {start}: no room below it for test servers (need above {Lowest + 1000})");
        return start;
    }
}
