using System.Text.Json;

namespace Arc.Types;

/// <summary>
/// The properties of one JSON object of the Arc JSON form, checked like the wire form's maps: keys in any order,
/// unknown keys ignored, duplicates rejected, and for a top-level value the <c>arc</c> tag and <c>v</c> version required.
/// </summary>
internal sealed class JsonFields
{
    private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.Ordinal);
    private readonly string _where;

    private JsonFields(string where) => _where = where;

    /// <summary>Collects the properties of <paramref name="element"/>, checking the tag when <paramref name="tag"/> is given.</summary>
    public static JsonFields Open(JsonElement element, string where, string? tag)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new ArcFormatException($"{where}: expected a JSON object but found {JsonRead.Describe(element.ValueKind)}");
        var fields = new JsonFields(where);
        foreach (var property in element.EnumerateObject())
            if (!fields._properties.TryAdd(property.Name, property.Value))
                throw new ArcFormatException($"{where}: the key '{property.Name}' appears twice");
        if (tag is not null)
        {
            string actual = JsonRead.String(fields.Required("arc"), fields.Path("arc"));
            if (actual != tag)
                throw new ArcFormatException($"{where}: expected a value tagged '{tag}' but the type tag (arc) is '{actual}'");
            int version = JsonRead.Int32(fields.Required("v"), fields.Path("v"));
            if (version != ArcWire.Version)
                throw new ArcFormatException($"{where}: format version {version} is not supported; this reader knows version {ArcWire.Version}");
        }
        return fields;
    }

    /// <summary>The path of a key inside this object, for error messages.</summary>
    public string Path(string key) => $"{_where}.{key}";

    /// <summary>The value of a key that must be present.</summary>
    public JsonElement Required(string key) => _properties.TryGetValue(key, out var value)
        ? value
        : throw new ArcFormatException($"{_where}: the required key '{key}' is missing");

    /// <summary>The value of an optional key; a JSON null counts as absent.</summary>
    public bool TryGet(string key, out JsonElement value)
        => _properties.TryGetValue(key, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>True when the key is present at all.</summary>
    public bool Has(string key) => _properties.ContainsKey(key);

    /// <summary>Builds the value; constructor <see cref="ArgumentException"/>s become format errors naming this object.</summary>
    public T Construct<T>(Func<T> make)
    {
        try { return make(); }
        catch (ArgumentException e) { throw new ArcFormatException($"{_where}: {e.Message}", e); }
    }
}
