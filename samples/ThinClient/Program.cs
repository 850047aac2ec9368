using Arc.Remote;
using Arc.Types;

// Calls a model served elsewhere (a worker process, a pod) with nothing but Arc.Remote: connects with the worker's
// address and token, describes the model, sends a batch of images and prints the predicted classes.
//
//   ARC_WORKER_TOKEN=<token> dotnet run --project samples/ThinClient -- https://127.0.0.1:5001 [count] [height] [width]
//
// The token comes from the environment, never the command line, so that it stays out of process listings. The
// pixels follow the same formula as the Python client in docs/remote-protocol.md, so the answers can be compared.

if (args.Length is < 1 or > 4 || !Uri.TryCreate(args[0], UriKind.Absolute, out var address))
{
    Console.Error.WriteLine("usage: ThinClient <worker address> [count=2] [height=4] [width=4]  (token in ARC_WORKER_TOKEN)");
    return 2;
}
string? token = Environment.GetEnvironmentVariable("ARC_WORKER_TOKEN");
if (string.IsNullOrEmpty(token))
{
    Console.Error.WriteLine("ARC_WORKER_TOKEN is not set: every worker needs its token (see docs/remote-protocol.md, Authentication)");
    return 2;
}
int count = args.Length > 1 ? int.Parse(args[1]) : 2, height = args.Length > 2 ? int.Parse(args[2]) : 4, width = args.Length > 3 ? int.Parse(args[3]) : 4;

var pixels = new float[count * height * width];
for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)((i * 37 % 101) / 100.0 - 0.5);
var images = new ImageData(ArcArray.From(pixels, count, 1, height, width));

try
{
    await using var model = await RemoteModel<ImageData, ClassData>.ConnectAsync(address, token);
    Console.WriteLine($"model={model.Name} device={model.DeviceName}");
    var classes = await model.PredictAsync(images);
    Console.WriteLine("classes=" + string.Join(",", classes.IndexSpan.ToArray()));
    return 0;
}
catch (Exception e) when (e is ArcRemoteException or ArcWorkerUnavailableException or ArcWorkerAuthenticationException or InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
