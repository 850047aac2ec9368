namespace Arc.Serving.Tests;

/// <summary>Starts an in-process <see cref="InferenceServer"/> (real Kestrel on 127.0.0.1, a free port) over the trained digits and waits until it is ready.</summary>
internal static class Servers
{
    public static async Task<InferenceServer> StartAsync(TrainedDigits digits, ServingOptions? options = null)
    {
        var server = await InferenceServer.StartAsync(new DigitMlp.InferenceModule(), digits.ModelDir, options ?? new ServingOptions());
        await server.WhenReady.WaitAsync(TimeSpan.FromMinutes(1));
        return server;
    }

    public static HttpClient Client(InferenceServer server) => new() { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(1) };
}
