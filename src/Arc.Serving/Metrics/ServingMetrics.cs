using Prometheus;

namespace Arc.Serving;

/// <summary>
/// The Prometheus series of one model server (docs/serving.md, "Metrics"), in a registry of its own so that two servers
/// in one process never add to each other's counts.
/// </summary>
internal sealed class ServingMetrics
{
    /// <summary>From 100 µs (a small model on loopback) to 10 s (a large batch on a slow machine).</summary>
    private static readonly double[] LatencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

    private static readonly double[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    public ServingMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("arc_serving_requests_total",
            "HTTP requests answered, by endpoint (invocations, infer, health, metadata, metrics, other) and status code.",
            new CounterConfiguration { LabelNames = ["endpoint", "code"] });
        RequestSeconds = factory.CreateHistogram("arc_serving_request_duration_seconds",
            "Time from a request's arrival to its answer, by endpoint.",
            new HistogramConfiguration { LabelNames = ["endpoint"], Buckets = LatencyBuckets });
        BatchRows = factory.CreateHistogram("arc_serving_batch_rows",
            "Rows (samples) per call of the model: above the requests' own rows when dynamic batching merged requests.",
            new HistogramConfiguration { Buckets = BatchBuckets });
        BatchRequests = factory.CreateHistogram("arc_serving_batch_requests",
            "Requests merged into one call of the model (1 without dynamic batching).",
            new HistogramConfiguration { Buckets = BatchBuckets });
    }

    /// <summary>The registry /metrics exposes.</summary>
    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }
    public Histogram RequestSeconds { get; }
    public Histogram BatchRows { get; }
    public Histogram BatchRequests { get; }
}
