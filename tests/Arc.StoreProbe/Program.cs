using System.Globalization;
using Arc.Artifacts;

// The durability tests' child process (tests/Arc.Sdk.Tests/Artifacts/DurableStoreTests.cs), so that a push can be
// killed with SIGKILL or traced with strace without the test process itself being either.
//
//   Arc.StoreProbe push <layout directory> <count> <seed>
//
// Prints "READY" once started, then pushes <count> artifacts tagged t<seed>-<i> into the layout, and after each push
// has returned prints "ACK <tag> <manifest digest>": an acknowledged tag is one the store promised to keep. Each
// artifact has a config, a layer shared by all pushes of this seed (so later pushes find it stored) and a layer of
// fresh random bytes (1 KiB to 2 MiB).
if (args is not ["push", var layout, var countText, var seedText]
    || !int.TryParse(countText, CultureInfo.InvariantCulture, out int count)
    || !int.TryParse(seedText, CultureInfo.InvariantCulture, out int seed))
{
    Console.Error.WriteLine("usage: Arc.StoreProbe push <layout directory> <count> <seed>");
    return 2;
}

var random = new Random(seed);
var shared = new byte[64 * 1024];
random.NextBytes(shared);
Console.Out.WriteLine("READY");
Console.Out.Flush();
using var store = new OciLayoutStore(layout);
for (int i = 0; i < count; i++)
{
    var fresh = new byte[random.Next(1024, 2 * 1024 * 1024)];
    random.NextBytes(fresh);
    string tag = string.Create(CultureInfo.InvariantCulture, $"t{seed}-{i}");
    var content = new ArtifactContent("application/vnd.arc.test.probe.v1")
        .WithConfig("application/vnd.arc.test.config.v1+json", System.Text.Encoding.UTF8.GetBytes($"{{\"seed\":{seed},\"i\":{i}}}"))
        .AddLayer("shared.bin", "application/octet-stream", shared)
        .AddLayer("fresh.bin", "application/octet-stream", fresh);
    var prepared = await content.PrepareAsync();
    await store.PushAsync(prepared, tag);
    Console.Out.WriteLine($"ACK {tag} {prepared.Digest}");
    Console.Out.Flush();
}
return 0;
