namespace Arc.Tracking;

/// <summary>Events and event queries between the records and the wire messages, both ways.</summary>
internal static class EventWire
{
    public static EventMessage ToMessage(TrackingEvent e) => new()
    {
        Id = e.Id,
        TimeUnixMicros = WireTime.ToMicros(e.Time),
        Kind = e.Kind,
        ObjectId = e.ObjectId,
        Namespace = e.Namespace,
        Payload = e.Payload,
    };

    public static TrackingEvent ToEvent(EventMessage message)
        => new(message.Id, WireTime.FromMicros(message.TimeUnixMicros, "time_unix_micros"), message.Kind, message.ObjectId, message.Namespace, message.Payload);

    public static ReadEventsRequest ToRequest(EventQuery query)
    {
        var request = new ReadEventsRequest { AfterId = query.AfterId, Limit = query.Limit };
        if (query.Namespace is { } space) request.Namespace = space;
        request.Kinds.Add(query.Kinds);
        return request;
    }

    public static EventQuery ToQuery(ReadEventsRequest request) => new()
    {
        AfterId = request.AfterId,
        Namespace = request.HasNamespace ? request.Namespace : null,
        Kinds = request.Kinds,
        Limit = request.HasLimit ? request.Limit : new EventQuery().Limit,
    };

    public static WatchEventsRequest ToWatchRequest(EventQuery query)
    {
        var request = new WatchEventsRequest { AfterId = query.AfterId };
        if (query.Namespace is { } space) request.Namespace = space;
        request.Kinds.Add(query.Kinds);
        return request;
    }

    /// <summary>The query a watch reads with: its filter, from its first id, <paramref name="limit"/> events at a time.</summary>
    public static EventQuery ToQuery(WatchEventsRequest request, int limit) => new()
    {
        AfterId = request.AfterId,
        Namespace = request.HasNamespace ? request.Namespace : null,
        Kinds = request.Kinds,
        Limit = limit,
    };
}
