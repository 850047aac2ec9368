namespace Arc.Tracking;

/// <summary>Registered models between the records and the wire messages, both ways; the records' constructors check what arrives.</summary>
internal static class ModelWire
{
    public static CreateModelRequest ToRequest(RegisteredModelDraft draft)
    {
        var request = new CreateModelRequest
        {
            Namespace = draft.Namespace,
            Name = draft.Name,
            Owner = draft.Owner,
            Task = draft.Task,
            Description = draft.Description,
        };
        foreach (var (key, value) in draft.Labels) request.Labels.Add(key, value);
        return request;
    }

    public static RegisteredModelDraft ToDraft(CreateModelRequest request) => new(request.Namespace, request.Name, request.Owner)
    {
        Task = request.Task,
        Description = request.Description,
        Labels = request.Labels,
    };

    public static ModelMessage ToMessage(RegisteredModel model)
    {
        var message = new ModelMessage
        {
            Id = model.Id,
            Namespace = model.Namespace,
            Name = model.Name,
            Owner = model.Owner,
            Task = model.Task,
            Description = model.Description,
            CreatedAtUnixMicros = WireTime.ToMicros(model.CreatedAt),
        };
        foreach (var (key, value) in model.Labels) message.Labels.Add(key, value);
        return message;
    }

    public static RegisteredModel ToModel(ModelMessage message) => new(
        TrackingNames.Id(message.Id, "id", "model id"),
        message.Namespace,
        message.Name,
        message.Owner,
        message.Task,
        message.Description,
        WireTime.FromMicros(message.CreatedAtUnixMicros, "created_at_unix_micros"))
    {
        Labels = message.Labels,
    };
}
