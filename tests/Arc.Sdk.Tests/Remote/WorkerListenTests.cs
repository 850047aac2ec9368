using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Arc.Remote;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// Where the Arc.Worker program listens, <c>ARC_WORKER_BIND</c> and <c>ARC_WORKER_PORT</c>, and the flood limits a
/// deployment may set (<c>ARC_WORKER_MAX_*</c>, <c>ARC_WORKER_CALL_RECEIVE_WINDOW_BYTES</c>), as a pod sets them.
/// </summary>
public sealed class WorkerListenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A hang guard (a broken worker would otherwise never exit), far above the time any of this takes.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_worker_listens_on_the_port_it_is_given()
    {
        int port = TestPorts.Free();
        using var worker = StartWorker(("ARC_WORKER_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("ARC_WORKER_BIND", "127.0.0.1"));
        try
        {
            string? line = await worker.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(HangGuard, Ct);
            Assert.Equal($"ARC-WORKER-READY port={port}", line);
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, Ct);
        }
        finally
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData("ARC_WORKER_BIND", "not-an-ip", "ARC_WORKER_BIND='not-an-ip' is not an IP address")]
    [InlineData("ARC_WORKER_PORT", "70000", "ARC_WORKER_PORT='70000' is not a whole number from 0 to 65535")]
    [InlineData("ARC_WORKER_PORT", "-1", "ARC_WORKER_PORT='-1' is not a whole number from 0 to 65535")]
    [InlineData("ARC_WORKER_BIND", "0.0.0.0", "serves TLS only")]
    [InlineData("ARC_WORKER_TLS_CERTIFICATE", "/nonexistent.pem", "ARC_WORKER_TLS_CERTIFICATE and ARC_WORKER_TLS_KEY go together")]
    [InlineData("ARC_WORKER_MAX_CONCURRENT_CALLS", "0", "ARC_WORKER_MAX_CONCURRENT_CALLS='0' is not a whole number from 1")]
    [InlineData("ARC_WORKER_MAX_QUEUED_CALLS", "-1", "ARC_WORKER_MAX_QUEUED_CALLS='-1' is not a whole number from 0")]
    [InlineData("ARC_WORKER_MAX_RECEIVE_MESSAGE_BYTES", "5MiB", "ARC_WORKER_MAX_RECEIVE_MESSAGE_BYTES='5MiB' is not a whole number")]
    [InlineData("ARC_WORKER_CALL_RECEIVE_WINDOW_BYTES", "4096", "ARC_WORKER_CALL_RECEIVE_WINDOW_BYTES='4096' is not a whole number from 65535")]
    public async Task A_bad_listen_variable_stops_the_worker_with_an_error_naming_it(string name, string value, string expected)
    {
        using var worker = StartWorker((name, value));
        try
        {
            string errors = await worker.StandardError.ReadToEndAsync(Ct).WaitAsync(HangGuard, Ct);
            await worker.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
            Assert.Equal(1, worker.ExitCode);
            Assert.Contains(expected, errors);
        }
        finally
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
        }
    }

    private static Process StartWorker(params (string Name, string Value)[] variables)
        => WorkerProgram.Start(ArcWorkerToken.Generate(), variables);

}
