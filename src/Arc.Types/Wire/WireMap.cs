using MessagePack;

namespace Arc.Types;

/// <summary>
/// Walks one map from untrusted bytes with <see cref="WireReader"/>'s policy: keys in any order, unknown keys skipped
/// (forward compatibility), a key the reader uses refused when it comes twice (two readers must never disagree on
/// which one wins), required keys reported by name, and for a top-level data value the <c>arc</c> tag and <c>v</c>
/// version checked and required.
/// </summary>
/// <remarks>
/// Only the keys the caller keeps are remembered for the duplicate check (<see cref="SkipValue"/> forgets the key it
/// skips), so a map of many unknown keys costs no memory per key.
/// </remarks>
public struct WireMap
{
    private readonly string _where;
    private readonly string? _tag;
    private List<string>? _kept;
    private int _left;
    private bool _sawTag;
    private bool _sawVersion;

    private WireMap(string where, string? tag, int count)
    {
        _where = where;
        _tag = tag;
        _left = count;
    }

    /// <summary>
    /// Reads the map header. With a <paramref name="tag"/> this is a top-level data value whose <c>arc</c> and
    /// <c>v</c> keys are consumed here; without one it is any other map (an array part, a table column, a message).
    /// </summary>
    /// <param name="reader">Positioned at the map.</param>
    /// <param name="where">The map's path (empty for a message's root).</param>
    /// <param name="tag">The type tag a top-level data value must carry, or null.</param>
    public static WireMap Open(ref MessagePackReader reader, string where, string? tag)
        => new(where, tag, WireReader.ReadMapHeader(ref reader, where));

    /// <summary>The path of a key inside this map, for error messages.</summary>
    public readonly string Path(string key) => WireReader.Child(_where, key);

    /// <summary>An error about this map as a whole: <c>path: problem</c>.</summary>
    public readonly ArcFormatException Error(string problem) => WireReader.Error(_where, problem);

    /// <summary>Moves to the next key the caller must handle; false once the map is done (then checks the header keys).</summary>
    public bool NextKey(ref MessagePackReader reader, out string key)
    {
        while (_left > 0)
        {
            _left--;
            key = WireReader.ReadKey(ref reader, _where);
            _kept ??= new List<string>(4);
            if (_kept.Contains(key))
                throw Error($"the key '{key}' appears twice");
            _kept.Add(key);
            if (_tag is not null && key == "arc") { ReadTag(ref reader); continue; }
            if (_tag is not null && key == "v") { ReadVersion(ref reader); continue; }
            return true;
        }
        if (_tag is not null && !_sawTag)
            throw Error("the required key 'arc' (the type tag) is missing");
        if (_tag is not null && !_sawVersion)
            throw Error("the required key 'v' (the format version) is missing");
        key = "";
        return false;
    }

    /// <summary>Skips the value of a key this reader does not know (and forgets the key: only kept keys must be unique).</summary>
    public void SkipValue(ref MessagePackReader reader, string key)
    {
        if (_kept is { Count: > 0 } kept && kept[^1] == key) kept.RemoveAt(kept.Count - 1);
        WireReader.Skip(ref reader, Path(key));
    }

    /// <summary>Returns <paramref name="value"/> or throws that the required <paramref name="key"/> is missing.</summary>
    public readonly T Required<T>(T? value, string key) where T : class
        => value ?? throw WireReader.MissingKey(_where, key);

    /// <summary>Returns <paramref name="value"/> or throws that the required <paramref name="key"/> is missing.</summary>
    public readonly T Required<T>(T? value, string key) where T : struct
        => value ?? throw WireReader.MissingKey(_where, key);

    /// <summary>
    /// Builds the value from decoded parts; the constructors' <see cref="ArgumentException"/>s (an index out of
    /// range, a wrong rank) become format errors that name this map.
    /// </summary>
    public readonly T Construct<T>(Func<T> make)
    {
        try { return make(); }
        catch (ArgumentException e) { throw WireReader.Error(_where, e.Message, e); }
        catch (InvalidOperationException e) { throw WireReader.Error(_where, e.Message, e); }
    }

    private void ReadTag(ref MessagePackReader reader)
    {
        string tag = WireReader.ReadString(ref reader, Path("arc"));
        if (tag != _tag)
            throw Error($"expected a value tagged '{_tag}' but the payload's type tag (arc) is '{tag}'");
        _sawTag = true;
    }

    private void ReadVersion(ref MessagePackReader reader)
    {
        int version = WireReader.ReadInt32(ref reader, Path("v"));
        if (version != ArcWire.Version)
            throw Error($"wire-form version {version} is not supported; this reader knows version {ArcWire.Version}");
        _sawVersion = true;
    }
}
