using System.Text.Json;

namespace Arc.Tracking.Server;

/// <summary>The JSON object of an event's payload, written field by field (the fields of each kind are listed in <see cref="TrackingEventKinds"/>).</summary>
internal sealed class EventPayload
{
    private readonly List<Action<Utf8JsonWriter>> _fields = [];

    public static EventPayload Empty => new();

    public EventPayload With(string name, string? value)
    {
        _fields.Add(writer =>
        {
            if (value is null) writer.WriteNull(name);
            else writer.WriteString(name, value);
        });
        return this;
    }

    public EventPayload With(string name, long? value)
    {
        _fields.Add(writer =>
        {
            if (value is null) writer.WriteNull(name);
            else writer.WriteNumber(name, value.Value);
        });
        return this;
    }

    public string ToJson() => JsonMaps.WriteObject(writer =>
    {
        foreach (var field in _fields) field(writer);
    });
}
