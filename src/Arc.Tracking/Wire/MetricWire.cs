using Google.Protobuf.Collections;

namespace Arc.Tracking;

/// <summary>
/// Metric points and batches between the records and the wire messages, both ways. A double travels as its eight bytes,
/// so NaN and ±infinity arrive as they left.
/// </summary>
internal static class MetricWire
{
    public static LogMetricsRequest ToRequest(MetricBatch batch)
    {
        var request = new LogMetricsRequest { ExperimentId = batch.ExperimentId, IdempotencyKey = batch.IdempotencyKey };
        AddPoints(request.Points, batch.Points);
        return request;
    }

    public static MetricBatch ToBatch(LogMetricsRequest request)
        => new(request.ExperimentId, request.IdempotencyKey, ToPoints(request.Points));

    public static MetricPointsReply ToReply(IReadOnlyList<MetricPoint> points)
    {
        var reply = new MetricPointsReply();
        AddPoints(reply.Points, points);
        return reply;
    }

    public static MetricPoint[] ToPoints(RepeatedField<MetricPointMessage> messages)
    {
        var points = new MetricPoint[messages.Count];
        for (int i = 0; i < points.Length; i++)
        {
            var m = messages[i];
            points[i] = new MetricPoint(m.Key, m.Step, WireTime.FromMicros(m.WallTimeUnixMicros, $"points[{i}].wall_time_unix_micros"), m.Value);
        }
        return points;
    }

    public static LogMetricsReply ToReply(MetricBatchOutcome outcome)
        => new() { AlreadyStored = outcome == MetricBatchOutcome.AlreadyStored };

    public static MetricBatchOutcome ToOutcome(LogMetricsReply reply)
        => reply.AlreadyStored ? MetricBatchOutcome.AlreadyStored : MetricBatchOutcome.Stored;

    private static void AddPoints(RepeatedField<MetricPointMessage> into, IReadOnlyList<MetricPoint> points)
    {
        into.Capacity = points.Count;
        foreach (var point in points)
            into.Add(new MetricPointMessage { Key = point.Key, Step = point.Step, WallTimeUnixMicros = WireTime.ToMicros(point.WallTime), Value = point.Value });
    }
}
