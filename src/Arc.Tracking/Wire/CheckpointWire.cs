namespace Arc.Tracking;

/// <summary>Checkpoints between the records and the wire messages, both ways; the records' constructors check what arrives.</summary>
internal static class CheckpointWire
{
    public static CreateCheckpointRequest ToRequest(CheckpointDraft draft)
    {
        var request = new CreateCheckpointRequest { ExperimentId = draft.ExperimentId, Step = draft.Step, BlobSha256 = draft.BlobSha256 };
        if (draft.Epoch is { } epoch) request.Epoch = epoch;
        foreach (var (key, value) in draft.Metrics) request.Metrics.Add(key, value);
        return request;
    }

    public static CheckpointDraft ToDraft(CreateCheckpointRequest request) => new(request.ExperimentId, request.Step, request.BlobSha256)
    {
        Epoch = request.HasEpoch ? request.Epoch : null,
        Metrics = request.Metrics,
    };

    public static CheckpointMessage ToMessage(Checkpoint checkpoint)
    {
        var message = new CheckpointMessage
        {
            Id = checkpoint.Id,
            ExperimentId = checkpoint.ExperimentId,
            Step = checkpoint.Step,
            BlobSha256 = checkpoint.BlobSha256,
            CreatedAtUnixMicros = WireTime.ToMicros(checkpoint.CreatedAt),
        };
        if (checkpoint.Epoch is { } epoch) message.Epoch = epoch;
        foreach (var (key, value) in checkpoint.Metrics) message.Metrics.Add(key, value);
        return message;
    }

    public static Checkpoint ToCheckpoint(CheckpointMessage message) => new(
        TrackingNames.Id(message.Id, "id", "checkpoint id"),
        TrackingNames.Id(message.ExperimentId, "experiment_id", "experiment id"),
        message.Step,
        message.HasEpoch ? message.Epoch : null,
        message.BlobSha256,
        WireTime.FromMicros(message.CreatedAtUnixMicros, "created_at_unix_micros"))
    {
        Metrics = message.Metrics,
    };
}
