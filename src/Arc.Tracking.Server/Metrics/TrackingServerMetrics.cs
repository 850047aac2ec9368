using Prometheus;

namespace Arc.Tracking.Server;

/// <summary>
/// The Prometheus series of one tracking server (docs/tracking.md, "Metrics"), in a registry of its own so that two
/// servers in one process (tests, a host with two stores) never add to each other's counts.
/// </summary>
internal sealed class TrackingServerMetrics
{
    /// <summary>Latency buckets from 100 µs (a loopback call) to 10 s (a 100,000-point batch on a slow disk).</summary>
    private static readonly double[] LatencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

    public TrackingServerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Calls = factory.CreateCounter("arc_tracking_calls_total",
            "gRPC calls answered, by method and gRPC status code (OK, NotFound, Unauthenticated, ...).",
            new CounterConfiguration { LabelNames = ["method", "code"] });
        CallSeconds = factory.CreateHistogram("arc_tracking_call_duration_seconds",
            "Time from a call's arrival to its last byte, by method.",
            new HistogramConfiguration { LabelNames = ["method"], Buckets = LatencyBuckets });
        PointsStored = factory.CreateCounter("arc_tracking_metric_points_stored_total",
            "Metric points stored (a retried batch the store already had adds none).");
        Events = factory.CreateCounter("arc_tracking_events_total",
            "Events the changes through this server committed, by kind (experiment.created, label.set, ...).",
            new CounterConfiguration { LabelNames = ["kind"] });
        StoreErrors = factory.CreateCounter("arc_tracking_store_errors_total",
            "Store calls that failed other than by refusing the caller's input (the database or disk failed), by store operation.",
            new CounterConfiguration { LabelNames = ["operation"] });
        BlobBytes = factory.CreateCounter("arc_tracking_blob_bytes_total",
            "File content bytes through this server: uploaded into the blob store (in) and read out of it (out).",
            new CounterConfiguration { LabelNames = ["direction"] });
    }

    /// <summary>The registry /metrics exposes.</summary>
    public CollectorRegistry Registry { get; }

    public Counter Calls { get; }
    public Histogram CallSeconds { get; }
    public Counter PointsStored { get; }
    public Counter Events { get; }
    public Counter StoreErrors { get; }
    public Counter BlobBytes { get; }
}
