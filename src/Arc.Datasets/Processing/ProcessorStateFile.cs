using Arc.Types;
using MessagePack;
using MessagePack.Formatters;

namespace Arc.Datasets;

/// <summary>
/// The wire form of <c>processor.arc</c>: one MessagePack map <c>{"format": "arc-processor", "format_version": 1,
/// "type": &lt;name&gt;, "parameters": {…}, "state": {…}}</c>. Reading checks the format and that the type is the one the
/// caller's code expects; the type name is compared, never used to create anything.
/// </summary>
public static class ProcessorStateFile
{
    /// <summary>The value of <c>format</c>.</summary>
    public const string Format = "arc-processor";

    /// <summary>The format version this Arc writes and reads.</summary>
    public const int FormatVersion = 1;

    internal const string ParametersKey = "parameters";
    internal const string StateKey = "state";

    internal static void WriteHeader(ref MessagePackWriter writer, string type)
    {
        writer.WriteMapHeader(5);
        writer.Write("format");
        writer.Write(Format);
        writer.Write("format_version");
        writer.Write(FormatVersion);
        writer.Write("type");
        writer.Write(type);
    }

    /// <summary>Splits <paramref name="bytes"/> into the parameters and the state of a processor of <paramref name="expectedType"/>.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="file">The file, named in errors.</param>
    /// <param name="expectedType">The type name of the processor that reads it.</param>
    /// <exception cref="DatasetFormatException">Not a processor state, of another version or of another processor type.</exception>
    public static (ReadOnlyMemory<byte> Parameters, ReadOnlyMemory<byte> State) Read(ReadOnlyMemory<byte> bytes, string file, string expectedType)
    {
        string? format = null, type = null;
        int? version = null;
        ReadOnlyMemory<byte>? parameters = null, state = null;
        try
        {
            var reader = new MessagePackReader(bytes);
            if (reader.NextMessagePackType != MessagePackType.Map)
                throw new ArcFormatException($"it starts with a MessagePack {reader.NextMessagePackType}, not a map");
            int entries = reader.ReadMapHeader();
            for (int i = 0; i < entries; i++)
            {
                string key = reader.ReadString() ?? throw new ArcFormatException("a key is nil");
                switch (key)
                {
                    case "format": format = reader.ReadString(); break;
                    case "format_version": version = reader.ReadInt32(); break;
                    case "type": type = reader.ReadString(); break;
                    case ParametersKey: parameters = Slice(bytes, ref reader); break;
                    case StateKey: state = Slice(bytes, ref reader); break;
                    default: reader.Skip(); break;
                }
            }
            if (!reader.End) throw new ArcFormatException("there are bytes after the map");
        }
        catch (Exception e) when (IsWireError(e))
        {
            throw new DatasetFormatException(file, $"is not a processor state ({e.Message})", e);
        }
        if (format != Format)
            throw new DatasetFormatException(file, $"is not a processor state: its format is '{format ?? "(none)"}', not '{Format}'");
        if (version != FormatVersion)
            throw new DatasetFormatException(file, version > FormatVersion
                ? $"is processor state format version {version}, newer than this Arc reads ({FormatVersion}): update Arc to open it"
                : $"is processor state format version {version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}; this Arc reads {FormatVersion}");
        if (type != expectedType)
            throw new DatasetFormatException(file, $"is the state of a {type ?? "(unnamed)"} processor, not of a {expectedType}");
        if (parameters is null || state is null)
            throw new DatasetFormatException(file, $"has no '{(parameters is null ? ParametersKey : StateKey)}' member");
        return (parameters.Value, state.Value);
    }

    /// <summary>Reads the parameters with the generated formatter, naming the file when they do not fit.</summary>
    public static T ReadParameters<T>(ReadOnlyMemory<byte> parameters, IMessagePackFormatter<T> formatter, string file, string type)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var reader = new MessagePackReader(parameters);
        try
        {
            return formatter.Deserialize(ref reader, ArcFormatterOptions.Instance);
        }
        catch (Exception e) when (IsWireError(e))
        {
            throw new DatasetFormatException(file, $"holds parameters that processor {type} cannot read: {e.Message}", e);
        }
    }

    /// <summary>Reads a processor's state file.</summary>
    public static byte[] ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return File.Exists(path) ? File.ReadAllBytes(path) : throw new FileNotFoundException($"{path}: there is no processor state file", path);
    }

    /// <summary>The bytes of a dataset version's processor.arc, after checking that meta.json records a processor of <paramref name="expectedType"/>.</summary>
    /// <exception cref="DatasetFormatException">The version has no processor, or one of another type.</exception>
    public static byte[] ReadFrom<X, Y>(DatasetVersion<X, Y> version, string expectedType, out string file)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(version);
        file = Path.Combine(version.Folder, DatasetPublisher.ProcessorFile);
        using var stream = version.OpenProcessorState(expectedType);
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    internal static bool IsWireError(Exception e)
        => e is ArcFormatException or MessagePackSerializationException or EndOfStreamException or InvalidOperationException or FormatException or OverflowException;

    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> bytes, ref MessagePackReader reader)
    {
        long start = reader.Consumed;
        reader.Skip();
        return bytes.Slice((int)start, (int)(reader.Consumed - start));
    }
}
