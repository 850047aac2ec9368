using System.Diagnostics;
using System.Text;
using Npgsql;
using Xunit;

namespace Arc.Tracking.Tests.Support;

/// <summary>
/// A real, throwaway PostgreSQL 15 cluster for the tests: <c>initdb</c> into an owned scratch folder, then
/// <c>pg_ctl start</c> with TCP switched off — the server listens only on a Unix socket in that folder, so nothing but
/// this test run can reach it and no port can collide. As root (CI, the developers' machines) the cluster belongs to the
/// <c>postgres</c> user (PostgreSQL refuses to run as root) and the binaries run under <c>runuser</c>. One cluster serves
/// the whole run (<see cref="PostgresCollection"/>); each test makes its own database in it. A cluster that cannot start
/// fails the tests with the tools' output and the server log: PostgreSQL is a prerequisite, not an option.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";
    private const string Superuser = "arc";
    private const int SocketPort = 5432;
    private DirectoryInfo? _scratch;
    private string _data = "";
    private string _log = "";
    private string? _runAs;
    private bool _started;

    /// <summary>The folder with the server's Unix socket (Npgsql's <c>Host</c> for it).</summary>
    public string SocketDirectory { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("the PostgreSQL store tests start Debian's postgresql-15 and run on Linux only");
        foreach (string tool in new[] { "initdb", "pg_ctl", "postgres" })
            if (!File.Exists(Path.Combine(Binaries, tool)))
                throw new InvalidOperationException(
                    $"PostgreSQL 15 is not installed ({Binaries}/{tool} is missing); the PostgreSQL store tests start a real throwaway cluster: " +
                    "run scripts/install-prereqs.sh (as root) to install the Debian package postgresql-15");
        _scratch = TestScratch.Create();
        SocketDirectory = Path.Combine(_scratch.FullName, "pg");
        _data = Path.Combine(SocketDirectory, "data");
        _log = Path.Combine(SocketDirectory, "server.log");
        if (Environment.IsPrivilegedProcess)
        {
            _runAs = File.ReadLines("/etc/passwd").Any(line => line.StartsWith("postgres:", StringComparison.Ordinal)) ? "postgres" : "nobody";
            // The scratch folder is root's (0700); the server's user must pass through it to its own folder inside.
            File.SetUnixFileMode(_scratch.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                                    | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            await RunAsync("/usr/bin/install", ["-d", "-m", "0700", "-o", _runAs, "-g", GroupOf(_runAs), SocketDirectory], asServerUser: false);
        }
        else
        {
            Directory.CreateDirectory(SocketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await RunAsync(Path.Combine(Binaries, "initdb"),
            ["-D", _data, "-U", Superuser, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"], asServerUser: true);
        string options = $"-c listen_addresses='' -c unix_socket_directories='{SocketDirectory}' -p {SocketPort}";
        try
        {
            await RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", _data, "-l", _log, "-w", "-t", "60", "-o", options, "start"], asServerUser: true);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\nserver log:\n{ReadLog()}", e);
        }
        _started = true;
    }

    /// <summary>The connection string of database <paramref name="database"/> of this cluster.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = SocketDirectory,
        Port = SocketPort,
        Username = Superuser,
        Database = database,
        Timeout = 30,
    }.ConnectionString;

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        // A natural-language collation, as a team's database is likely to have: a store that let the database sort names
        // would list them otherwise than SQLite and fail the contract's ordinal orders.
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>The server's log so far (for failure messages).</summary>
    public string ReadLog()
    {
        try
        {
            return File.ReadAllText(_log);
        }
        catch (IOException e)
        {
            return $"(no server log at {_log}: {e.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            try
            {
                await RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", _data, "-m", "immediate", "-w", "-t", "30", "stop"], asServerUser: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone; the folder goes below either way (and a server whose folder is gone stops by itself).
            }
        }
        TestScratch.Delete(_scratch);
    }

    private async Task RunAsync(string program, string[] arguments, bool asServerUser)
    {
        var start = asServerUser && _runAs is not null
            ? new ProcessStartInfo("/usr/sbin/runuser") { ArgumentList = { "-u", _runAs, "--", program } }
            : new ProcessStartInfo(program);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        // pg_ctl's server keeps no handle of ours: its output goes to the log file, so reading to the end here ends.
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{string.Join(' ', start.ArgumentList)} did not end within 120 s");
        }
        string text = new StringBuilder().Append(await output).Append(await error).ToString();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} failed with exit code {process.ExitCode} ({start.FileName} {string.Join(' ', start.ArgumentList)}):\n{text}");
    }

    private static string GroupOf(string user)
    {
        string[]? fields = File.ReadLines("/etc/passwd").Select(line => line.Split(':')).FirstOrDefault(f => f[0] == user);
        string gid = fields?[3] ?? throw new InvalidOperationException($"user {user} is not in /etc/passwd");
        return File.ReadLines("/etc/group").Select(line => line.Split(':')).FirstOrDefault(f => f[2] == gid)?[0] ?? gid;
    }
}

/// <summary>The tests that share the one PostgreSQL cluster of a run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
