using Arc.Tracking.Tests.Support;
using Xunit;

namespace Arc.Tracking.Tests.Durability;

/// <summary>
/// Four <see cref="TrackingClient"/>s log through their own connections to a real tracking server in a child process
/// while the server is killed with SIGKILL and started again, three times. Every point a client accepted is stored
/// afterwards — each exactly once: a batch whose acknowledgement died with the server is retried under the same
/// idempotency key and found already stored. Run against SQLite and PostgreSQL.
/// </summary>
public abstract class TrackingDurabilityTests
{
    private const int Clients = 4;
    private const int PointsPerClient = 40_000;
    private const int FlushEvery = 500;
    private const int Kills = 3;

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The store kind the probe opens (<c>sqlite</c>, <c>postgres</c>) and its database.</summary>
    protected abstract Task<(string Kind, string Database)> NewDatabaseAsync();

    [Fact]
    public async Task Every_point_logged_while_the_server_is_killed_and_restarted_is_stored_once()
    {
        var (kind, database) = await NewDatabaseAsync();
        int port = TrackingServerProcess.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var server = await TrackingServerProcess.StartAsync(kind, database, port, Cancel);
        try
        {
            string[] experiments = new string[Clients];
            using (var setup = new TrackingServerClient(address))
                for (int i = 0; i < Clients; i++)
                    experiments[i] = (await setup.CreateExperimentAsync(new ExperimentDraft("durability", $"client-{i}", "tester"), Cancel)).Id;

            var connections = Enumerable.Range(0, Clients).Select(_ => new TrackingServerClient(address)).ToArray();
            var clients = connections.Select(c => new TrackingClient(c, new TrackingClientOptions
            {
                MaxBatchPoints = 200,
                RetryFor = TimeSpan.FromMinutes(3),
                FirstRetryDelay = TimeSpan.FromMilliseconds(20),
                MaxRetryDelay = TimeSpan.FromMilliseconds(500),
            })).ToArray();
            long[] acknowledged = new long[Clients];
            var logging = Task.WhenAll(Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
            {
                for (int step = 0; step < PointsPerClient; step++)
                {
                    await clients[i].LogAsync(experiments[i], "loss", step, step + i / 10.0, Cancel);
                    if ((step + 1) % FlushEvery == 0)
                    {
                        await clients[i].FlushAsync(Cancel);
                        Volatile.Write(ref acknowledged[i], step + 1);
                        await Task.Delay(25, Cancel); // spread the logging over the kills
                    }
                }
                await clients[i].DisposeAsync();
                Volatile.Write(ref acknowledged[i], PointsPerClient);
            }, Cancel)));

            int kills = 0;
            while (kills < Kills && !logging.IsCompleted)
            {
                await Task.WhenAny(logging, Task.Delay(400, Cancel));
                if (logging.IsCompleted) break;
                server.Kill();
                kills++;
                await Task.Delay(200, Cancel); // down for a while: the clients' calls fail and are retried
                server.Dispose();
                server = await TrackingServerProcess.StartAsync(kind, database, port, Cancel);
            }
            await logging;
            Assert.True(kills == Kills, $"logging ended after {kills} of {Kills} kills; the test must kill the server while clients log");
            Assert.True(clients.Sum(c => c.Retries) > 0, "no call failed, so no kill hit the clients' traffic");

            using var reader = new TrackingServerClient(address);
            for (int i = 0; i < Clients; i++)
            {
                Assert.Equal(PointsPerClient, acknowledged[i]);
                var points = await reader.ReadMetricAsync(experiments[i], "loss", cancellationToken: Cancel);
                // Each step once, in order, with its own value: nothing lost, nothing stored twice.
                Assert.Equal(PointsPerClient, points.Count);
                for (int step = 0; step < PointsPerClient; step++)
                {
                    Assert.Equal(step, points[step].Step);
                    Assert.Equal(step + i / 10.0, points[step].Value);
                }
                Assert.Equal(PointsPerClient, clients[i].PointsStored + clients[i].PointsAlreadyStored);
            }
            foreach (var connection in connections) connection.Dispose();
        }
        catch (Exception e) when (server.Errors.Length > 0)
        {
            throw new InvalidOperationException($"{e.Message}\nthe server's errors:\n{server.Errors}", e);
        }
        finally
        {
            server.Dispose();
        }
    }
}

/// <summary>The durability test against a SQLite database file the server process opens anew after each kill.</summary>
public sealed class SqliteTrackingDurabilityTests : TrackingDurabilityTests, IDisposable
{
    private readonly DirectoryInfo _scratch = TestScratch.Create();

    protected override Task<(string Kind, string Database)> NewDatabaseAsync()
        => Task.FromResult(("sqlite", Path.Combine(_scratch.FullName, "metadata.db")));

    public void Dispose() => TestScratch.Delete(_scratch);
}

/// <summary>The durability test against a database of the run's real PostgreSQL 15 cluster (which stays up; only the server dies).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTrackingDurabilityTests(PostgresCluster cluster) : TrackingDurabilityTests
{
    protected override async Task<(string Kind, string Database)> NewDatabaseAsync() => ("postgres", await cluster.CreateDatabaseAsync());
}
