using MessagePack;

namespace Arc.Types;

/// <summary>
/// Walks one wire-form map from untrusted bytes: keys in any order, unknown keys skipped (forward compatibility),
/// duplicate keys rejected (two readers must never disagree on which one wins), and for a top-level value the
/// <c>arc</c> tag and <c>v</c> version checked and required.
/// </summary>
internal struct WireMap
{
    private readonly string _where;
    private readonly string? _tag;
    private readonly HashSet<string> _seen;
    private int _left;
    private bool _sawTag;
    private bool _sawVersion;

    private WireMap(string where, string? tag, int count)
    {
        _where = where;
        _tag = tag;
        _left = count;
        _seen = new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>
    /// Reads the map header. With a <paramref name="tag"/> this is a top-level value whose <c>arc</c> and <c>v</c>
    /// keys are consumed here; without one it is a nested map (an array part, a table column).
    /// </summary>
    public static WireMap Open(ref MessagePackReader reader, string where, string? tag)
        => new(where, tag, WireReader.ReadMapHeader(ref reader, where));

    /// <summary>The path of a key inside this map, for error messages.</summary>
    public readonly string Path(string key) => $"{_where}.{key}";

    /// <summary>Moves to the next key the caller must handle; false once the map is done (then checks the header keys).</summary>
    public bool NextKey(ref MessagePackReader reader, out string key)
    {
        while (_left > 0)
        {
            _left--;
            if (reader.End)
                throw new ArcFormatException($"{_where}: the payload ends before the map does");
            if (reader.NextMessagePackType != MessagePackType.String)
                throw new ArcFormatException($"{_where}: map keys must be strings but one is {WireReader.Describe(reader.NextMessagePackType)}");
            key = WireReader.ReadString(ref reader, $"{_where} (a key)");
            if (!_seen.Add(key))
                throw new ArcFormatException($"{_where}: the key '{key}' appears twice");
            if (_tag is not null && key == "arc") { ReadTag(ref reader); continue; }
            if (_tag is not null && key == "v") { ReadVersion(ref reader); continue; }
            return true;
        }
        if (_tag is not null && !_sawTag)
            throw new ArcFormatException($"{_where}: the required key 'arc' (the type tag) is missing");
        if (_tag is not null && !_sawVersion)
            throw new ArcFormatException($"{_where}: the required key 'v' (the format version) is missing");
        key = "";
        return false;
    }

    /// <summary>Skips the value of a key this reader does not know.</summary>
    public readonly void SkipValue(ref MessagePackReader reader, string key) => WireReader.Skip(ref reader, Path(key));

    /// <summary>Returns <paramref name="value"/> or throws that the required <paramref name="key"/> is missing.</summary>
    public readonly T Required<T>(T? value, string key) where T : class
        => value ?? throw new ArcFormatException($"{_where}: the required key '{key}' is missing");

    /// <summary>Returns <paramref name="value"/> or throws that the required <paramref name="key"/> is missing.</summary>
    public readonly T Required<T>(T? value, string key) where T : struct
        => value ?? throw new ArcFormatException($"{_where}: the required key '{key}' is missing");

    /// <summary>
    /// Builds the value from decoded parts; the constructors' <see cref="ArgumentException"/>s (an index out of
    /// range, a wrong rank) become format errors that name this map.
    /// </summary>
    public readonly T Construct<T>(Func<T> make)
    {
        try { return make(); }
        catch (ArgumentException e) { throw new ArcFormatException($"{_where}: {e.Message}", e); }
        catch (InvalidOperationException e) { throw new ArcFormatException($"{_where}: {e.Message}", e); }
    }

    private void ReadTag(ref MessagePackReader reader)
    {
        string tag = WireReader.ReadString(ref reader, Path("arc"));
        if (tag != _tag)
            throw new ArcFormatException($"{_where}: expected a value tagged '{_tag}' but the payload's type tag (arc) is '{tag}'");
        _sawTag = true;
    }

    private void ReadVersion(ref MessagePackReader reader)
    {
        int version = WireReader.ReadInt32(ref reader, Path("v"));
        if (version != ArcWire.Version)
            throw new ArcFormatException($"{_where}: wire-form version {version} is not supported; this reader knows version {ArcWire.Version}");
        _sawVersion = true;
    }
}
