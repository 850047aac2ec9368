using Arc.Bench;
using Arc.Bench.Fuzz;
using Arc.Bench.Remote;
using Arc.Bench.Tracking;

// Arc benchmarks: side-by-side measurements printed as tables and ratios. Not pass/fail tests: CI runs
// `--quick` only to prove every group still works. `fuzz` (100,000 hostile frames per worker endpoint: 2,000,000
// calls, ~4 min on 2 cores) runs in full only when named; --quick runs every group, fuzz with 300 frames per endpoint.
// `token` is the remote group's case (a′) alone, for measuring the token's few microseconds on a quiet machine;
// `failing` its case (d) alone (a failing call vs a successful one); `epoch` its case (c) alone (an MNIST epoch in a
// worker process vs in process).
//   dotnet run --project bench/Arc.Bench -c Release -- [--quick] [group ...]
var groups = new Dictionary<string, Action<BenchOptions>>(StringComparer.OrdinalIgnoreCase)
{
    ["serialization"] = Serialization.Run,
    ["training"] = Training.Run,
    ["remote"] = RemoteGroup.Run,
    ["token"] = options => TokenCost.RunAsync(options).GetAwaiter().GetResult(),
    ["failing"] = options => FailingCalls.RunAsync(options).GetAwaiter().GetResult(),
    ["epoch"] = options => MnistEpoch.RunAsync(options).GetAwaiter().GetResult(),
    ["worker"] = WorkerStart.Run,
    ["fuzz"] = FuzzGroup.Run,
    ["tracking"] = MetricIngest.Run,
    ["ingest"] = ServerIngest.Run,
    ["watch"] = WatchLatency.Run,
    ["datasets"] = DatasetsGroup.Run,
    ["contracts"] = ContractsGroup.Run,
    ["profile"] = ProfileCost.Run,
    ["serving"] = Arc.Bench.Serving.ServingGroup.Run,
    ["web"] = Arc.Bench.Web.WebPages.Run,
};
string[] byHandOnly = ["fuzz"];
string[] partOfAnother = ["token", "failing", "epoch"]; // run by `remote` too

// Hidden: the raw gRPC baseline server of the remote group runs as a child process of this program.
if (args.Length == 2 && args[0] == RawGrpcChild.Argument)
    return await RawGrpcChild.ServeAsync(args[1]);
// Hidden: the pair of workers (token checked, not checked) of the remote group's token case, likewise.
if (args.Length == 1 && args[0] == TokenCost.Argument)
    return await TokenCost.ServeAsync();

bool quick = args.Contains("--quick");
var unknownFlags = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--quick").ToList();
var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
var unknownGroups = names.Where(n => !groups.ContainsKey(n)).ToList();
if (unknownFlags.Count > 0 || unknownGroups.Count > 0 || args.Contains("--help"))
{
    Console.Error.WriteLine($"usage: Arc.Bench [--quick] [{string.Join("|", groups.Keys)}]...");
    foreach (var u in unknownFlags.Concat(unknownGroups).Where(u => u != "--help")) Console.Error.WriteLine($"unknown argument: {u}");
    return args.Contains("--help") ? 0 : 2;
}

var options = new BenchOptions(quick);
Console.WriteLine($"Arc.Bench ({(quick ? "quick" : "full")} mode, {options.CaseDuration.TotalSeconds:0.0} s per case), .NET {Environment.Version}, " +
                  $"{Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, " +
                  $"latency mode {System.Runtime.GCSettings.LatencyMode}");
foreach (var name in names.Count == 0 ? groups.Keys.Where(g => !partOfAnother.Contains(g) && (quick || !byHandOnly.Contains(g))).ToList() : names)
{
    Console.WriteLine();
    groups[name](options);
}
return 0;
