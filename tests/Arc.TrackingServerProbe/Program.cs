using System.Globalization;
using Arc.Tracking;
using Arc.Tracking.Server;

// Serves one metadata store on 127.0.0.1:<port> until its standard input closes (so it never outlives the test that
// started it), printing "LISTENING <address>" once it accepts calls:
//   Arc.TrackingServerProbe sqlite <database file> <port>
//   Arc.TrackingServerProbe postgres <connection string> <port>
if (args.Length != 3 || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out int port))
{
    Console.Error.WriteLine("usage: Arc.TrackingServerProbe sqlite|postgres <database> <port>");
    return 2;
}
IMetadataStore store = args[0] switch
{
    "sqlite" => await SqliteMetadataStore.OpenAsync(args[1]),
    "postgres" => await PostgresMetadataStore.OpenAsync(args[1]),
    _ => throw new ArgumentException($"unknown store '{args[0]}'"),
};
await using (store)
await using (var server = await TrackingServer.StartAsync(store, new TrackingServerOptions { Port = port }))
{
    Console.WriteLine($"LISTENING {server.Address}");
    await Console.In.ReadToEndAsync();
}
return 0;
