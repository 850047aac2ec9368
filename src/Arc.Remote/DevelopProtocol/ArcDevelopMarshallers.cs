using System.Buffers;
using Grpc.Core;
using MessagePack;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// The marshallers of <c>arc.Develop</c>, written by hand over <c>MessagePackReader</c> like <see cref="ArcMarshallers"/>:
/// only strings, ints and bins are read, and every count is checked before anything is allocated for it.
/// </summary>
public static class ArcDevelopMarshallers
{
    /// <summary>The most digests or files one message may list: far more than any build output, far less than a forged header claims.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>The longest path, digest or name one message may carry.</summary>
    public const int MaxStringChars = 4096;

    /// <summary><c>{"digests": [str]}</c>.</summary>
    public static Marshaller<BlobDigests> Digests { get; } = WireMarshaller.Create<BlobDigests>("blob digests",
        static (ref w, v) => { w.WriteMapHeader(1); w.Write("digests"); WriteStrings(ref w, v.Digests); },
        ReadDigests);

    /// <summary><c>{"digest": str, "bytes": bin}</c>.</summary>
    public static Marshaller<BlobUpload> Upload { get; } = WireMarshaller.Create<BlobUpload>("blob upload",
        static (ref w, v) => { w.WriteMapHeader(2); w.Write("digest"); w.Write(v.Digest); w.Write("bytes"); w.Write(v.Bytes.Span); },
        ReadUpload);

    /// <summary><c>{"assembly": str, "files": {path: digest}, "model": str, "hyperparameters": bin|nil}</c>.</summary>
    public static Marshaller<ReloadRequest> Reload { get; } = WireMarshaller.Create<ReloadRequest>("reload request", WriteReload, ReadReload);

    /// <summary><c>{"version": int, "state": str, "model": str|nil, "error": str|nil, "unloading": int, "shared": [str]}</c>.</summary>
    public static Marshaller<DevelopStatus> Status { get; } = WireMarshaller.Create<DevelopStatus>("develop status", WriteStatus, ReadStatus);

    private static BlobDigests ReadDigests(ref MessagePackReader reader)
    {
        int count = WireFields.ReadMapHeader(ref reader, "blob digests");
        List<string>? digests = null;
        for (int i = 0; i < count; i++)
        {
            switch (WireFields.ReadKey(ref reader, "blob digests"))
            {
                case "digests" when digests is null: digests = ReadStrings(ref reader, "blob digests.digests"); break;
                case var key: throw new ArcFormatException($"blob digests: unexpected or repeated key '{key}'");
            }
        }
        return new BlobDigests(WireFields.Required(digests, "blob digests.digests"));
    }

    private static BlobUpload ReadUpload(ref MessagePackReader reader)
    {
        int count = WireFields.ReadMapHeader(ref reader, "blob upload");
        string? digest = null;
        byte[]? bytes = null;
        for (int i = 0; i < count; i++)
        {
            switch (WireFields.ReadKey(ref reader, "blob upload"))
            {
                case "digest" when digest is null: digest = ReadString(ref reader, "blob upload.digest"); break;
                case "bytes" when bytes is null:
                    if (reader.NextMessagePackType != MessagePackType.Binary)
                        throw new ArcFormatException($"blob upload.bytes: expected a bin, found {reader.NextMessagePackType}");
                    // ReadBytes checks the declared length against the bytes present before anything is allocated.
                    bytes = (reader.ReadBytes() ?? throw new ArcFormatException("blob upload.bytes is nil")).ToArray();
                    break;
                case var key: throw new ArcFormatException($"blob upload: unexpected or repeated key '{key}'");
            }
        }
        return new BlobUpload(WireFields.Required(digest, "blob upload.digest"), WireFields.Required(bytes, "blob upload.bytes"));
    }

    private static void WriteReload(ref MessagePackWriter writer, ReloadRequest value)
    {
        writer.WriteMapHeader(4);
        writer.Write("assembly");
        writer.Write(value.Assembly);
        writer.Write("files");
        writer.WriteMapHeader(value.Files.Count);
        foreach (var (path, digest) in value.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            writer.Write(path);
            writer.Write(digest);
        }
        writer.Write("model");
        writer.Write(value.Model);
        writer.Write("hyperparameters");
        if (value.Hyperparameters is { } wire) writer.Write(wire.Span);
        else writer.WriteNil();
    }

    private static ReloadRequest ReadReload(ref MessagePackReader reader)
    {
        const string where = "reload request";
        int count = WireFields.ReadMapHeader(ref reader, where);
        string? assembly = null, model = null;
        Dictionary<string, string>? files = null;
        ReadOnlyMemory<byte>? hyperparameters = null;
        bool sawHyperparameters = false;
        for (int i = 0; i < count; i++)
        {
            switch (WireFields.ReadKey(ref reader, where))
            {
                case "assembly" when assembly is null: assembly = ReadString(ref reader, $"{where}.assembly"); break;
                case "model" when model is null: model = ReadString(ref reader, $"{where}.model"); break;
                case "files" when files is null: files = ReadFiles(ref reader, $"{where}.files"); break;
                case "hyperparameters" when !sawHyperparameters:
                    sawHyperparameters = true;
                    if (reader.TryReadNil()) break;
                    if (reader.NextMessagePackType != MessagePackType.Binary)
                        throw new ArcFormatException($"{where}.hyperparameters: expected a bin or nil, found {reader.NextMessagePackType}");
                    hyperparameters = (reader.ReadBytes() ?? throw new ArcFormatException($"{where}.hyperparameters is nil")).ToArray();
                    break;
                case var key: throw new ArcFormatException($"{where}: unexpected or repeated key '{key}'");
            }
        }
        return new ReloadRequest(WireFields.Required(assembly, $"{where}.assembly"), WireFields.Required(files, $"{where}.files"),
            WireFields.Required(model, $"{where}.model"), hyperparameters);
    }

    private static Dictionary<string, string> ReadFiles(ref MessagePackReader reader, string where)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
            throw new ArcFormatException($"{where}: expected a map, found {reader.NextMessagePackType}");
        int count = reader.ReadMapHeader();
        if (count > MaxEntries) throw new ArcFormatException($"{where}: {count} files is more than {MaxEntries}");
        var files = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string path = ReadString(ref reader, $"{where} path");
            string digest = ReadString(ref reader, $"{where}['{path}']");
            if (!files.TryAdd(path, digest)) throw new ArcFormatException($"{where}: the path '{path}' is listed twice");
        }
        return files;
    }

    private static void WriteStatus(ref MessagePackWriter writer, DevelopStatus value)
    {
        writer.WriteMapHeader(6);
        writer.Write("version");
        writer.Write(value.Version);
        writer.Write("state");
        writer.Write(value.State);
        writer.Write("model");
        writer.Write(value.Model);
        writer.Write("error");
        writer.Write(value.Error);
        writer.Write("unloading");
        writer.Write(value.Unloading);
        writer.Write("shared");
        WriteStrings(ref writer, value.Shared);
    }

    private static DevelopStatus ReadStatus(ref MessagePackReader reader)
    {
        const string where = "develop status";
        int count = WireFields.ReadMapHeader(ref reader, where);
        long? version = null;
        int unloading = 0;
        string? state = null, model = null, error = null;
        List<string>? shared = null;
        for (int i = 0; i < count; i++)
        {
            switch (WireFields.ReadKey(ref reader, where))
            {
                case "version": version = reader.ReadInt64(); break;
                case "state": state = ReadString(ref reader, $"{where}.state"); break;
                case "model": model = reader.TryReadNil() ? null : ReadString(ref reader, $"{where}.model"); break;
                // An error message may be long (a stack's first lines); only the message size limit bounds it.
                case "error": error = reader.TryReadNil() ? null : WireFields.ReadString(ref reader, $"{where}.error"); break;
                case "unloading": unloading = reader.ReadInt32(); break;
                case "shared": shared = ReadStrings(ref reader, $"{where}.shared"); break;
                default: reader.Skip(); break; // a newer worker may add fields
            }
        }
        return new DevelopStatus(WireFields.Required(version, $"{where}.version"), WireFields.Required(state, $"{where}.state"),
            model, error, unloading, shared ?? []);
    }

    private static void WriteStrings(ref MessagePackWriter writer, IReadOnlyList<string> values)
    {
        writer.WriteArrayHeader(values.Count);
        foreach (var value in values) writer.Write(value);
    }

    private static List<string> ReadStrings(ref MessagePackReader reader, string where)
    {
        if (reader.NextMessagePackType != MessagePackType.Array)
            throw new ArcFormatException($"{where}: expected an array, found {reader.NextMessagePackType}");
        int count = reader.ReadArrayHeader();
        if (count > MaxEntries) throw new ArcFormatException($"{where}: {count} entries is more than {MaxEntries}");
        var values = new List<string>(count);
        for (int i = 0; i < count; i++) values.Add(ReadString(ref reader, $"{where}[{i}]"));
        return values;
    }

    private static string ReadString(ref MessagePackReader reader, string where)
    {
        string value = WireFields.ReadString(ref reader, where);
        if (value.Length > MaxStringChars) throw new ArcFormatException($"{where}: a string of {value.Length} characters is too long");
        return value;
    }
}
