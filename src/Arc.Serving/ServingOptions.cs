using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Arc.Serving;

/// <summary>How an <see cref="InferenceServer"/> listens, authenticates, limits and batches (docs/serving.md).</summary>
public sealed record ServingOptions
{
    /// <summary>The port <c>arc serve</c> uses unless told otherwise (SageMaker's and KServe's usual one).</summary>
    public const int DefaultPort = 8080;

    /// <summary>The address to bind: 127.0.0.1 unless set. Any other address needs <see cref="Token"/> and <see cref="Certificate"/>.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port; 0 takes a free one (read it from <see cref="InferenceServer.Address"/>).</summary>
    public int Port { get; init; }

    /// <summary>
    /// A second port for HTTP/2 over plain TCP (prior knowledge, as gRPC-style clients speak it); 0 takes a free one, null
    /// (the default) opens none. Without TLS one port cannot offer both versions (there is no ALPN to choose with); with
    /// <see cref="Certificate"/> the main port speaks both and this is not needed.
    /// </summary>
    public int? Http2Port { get; init; }

    /// <summary>When set, every request must carry <c>Authorization: Bearer &lt;token&gt;</c> (the workers' check; 401 otherwise).</summary>
    public string? Token { get; init; }

    /// <summary>When set, the server speaks HTTPS with this certificate (HTTP/1.1 and HTTP/2 by ALPN).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The largest request body in bytes; a larger one is answered 413. Default 16 MiB.</summary>
    public long MaxRequestBytes { get; init; } = 16 << 20;

    /// <summary>
    /// Dynamic batching: the most rows one call of the model takes from merged requests. 1 (the default) turns batching
    /// off: each request is its own call.
    /// </summary>
    /// <remarks>
    /// About half the number of requests in flight serves the most: one batch fills while the other runs. A batch as
    /// large as the number of clients holds them all while the model works and then waits for their next requests
    /// (docs/serving.md, "Choosing the batch size").
    /// </remarks>
    public int MaxBatchSize { get; init; } = 1;

    /// <summary>Dynamic batching: how long the first request of a batch waits for others to join it. Default 2 ms.</summary>
    public TimeSpan BatchDelay { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>How long stopping waits for requests in flight to be answered. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The model version the Open Inference Protocol names (<c>/v2/models/{name}/versions/{version}</c>).</summary>
    public string ModelVersion { get; init; } = "1";
}
