using System.Buffers;
using Grpc.Core;
using MessagePack;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// The marshallers of <c>arc.Develop</c>, written by hand over <see cref="WireReader"/> like <see cref="ArcMarshallers"/>:
/// only strings, ints and bins are read, and every count is checked against the payload before anything is allocated for it.
/// </summary>
public static class ArcDevelopMarshallers
{
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
        var map = WireMap.Open(ref reader, "", tag: null);
        string[]? digests = null;
        while (map.NextKey(ref reader, out var key))
        {
            if (key == "digests") digests = WireReader.ReadStrings(ref reader, key);
            else map.SkipValue(ref reader, key);
        }
        return new BlobDigests(map.Required(digests, "digests"));
    }

    private static BlobUpload ReadUpload(ref MessagePackReader reader)
    {
        var map = WireMap.Open(ref reader, "", tag: null);
        string? digest = null;
        byte[]? bytes = null;
        while (map.NextKey(ref reader, out var key))
        {
            switch (key)
            {
                case "digest": digest = WireReader.ReadString(ref reader, key); break;
                case "bytes": bytes = WireReader.ReadBin(ref reader, key); break;
                default: map.SkipValue(ref reader, key); break;
            }
        }
        return new BlobUpload(map.Required(digest, "digest"), map.Required(bytes, "bytes"));
    }

    private static void WriteReload(ref MessagePackWriter writer, ReloadRequest value)
    {
        writer.WriteMapHeader(5);
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
        writer.Write("kind");
        writer.Write(value.Kind);
    }

    private static ReloadRequest ReadReload(ref MessagePackReader reader)
    {
        var map = WireMap.Open(ref reader, "", tag: null);
        string? assembly = null, model = null, kind = null;
        Dictionary<string, string>? files = null;
        ReadOnlyMemory<byte>? hyperparameters = null;
        while (map.NextKey(ref reader, out var key))
        {
            switch (key)
            {
                case "assembly": assembly = WireReader.ReadString(ref reader, key); break;
                case "model": model = WireReader.ReadString(ref reader, key); break;
                case "kind": kind = WireReader.ReadString(ref reader, key); break;
                case "files": files = ReadFiles(ref reader, key); break;
                case "hyperparameters": hyperparameters = WireReader.TryReadNil(ref reader, key) ? null : (ReadOnlyMemory<byte>?)WireReader.ReadBin(ref reader, key); break;
                default: map.SkipValue(ref reader, key); break;
            }
        }
        if (kind is not null && !DevelopKinds.IsKnown(kind))
            throw WireReader.Error("kind", $"'{kind}' is not a develop kind (model, job or pods)");
        return new ReloadRequest(map.Required(assembly, "assembly"), map.Required(files, "files"), map.Required(model, "model"), hyperparameters)
        {
            Kind = kind ?? DevelopKinds.Model,
        };
    }

    // {path: digest}: a map keyed by data, not by field names, so it is read as entries rather than through WireMap.
    private static Dictionary<string, string> ReadFiles(ref MessagePackReader reader, string where)
    {
        int count = WireReader.ReadMapHeader(ref reader, where);
        var files = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string path = WireReader.ReadKey(ref reader, where);
            string digest = WireReader.ReadString(ref reader, $"{where}['{path}']");
            if (!files.TryAdd(path, digest)) throw WireReader.Error(where, $"the path '{path}' is listed twice");
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
        var map = WireMap.Open(ref reader, "", tag: null);
        long? version = null;
        int unloading = 0;
        string? state = null, model = null, error = null;
        string[]? shared = null;
        while (map.NextKey(ref reader, out var key))
        {
            switch (key)
            {
                case "version": version = WireReader.ReadInt64(ref reader, key); break;
                case "state": state = WireReader.ReadString(ref reader, key); break;
                case "model": model = WireReader.TryReadNil(ref reader, key) ? null : WireReader.ReadString(ref reader, key); break;
                case "error": error = WireReader.TryReadNil(ref reader, key) ? null : WireReader.ReadString(ref reader, key); break;
                case "unloading": unloading = WireReader.ReadInt32(ref reader, key); break;
                case "shared": shared = WireReader.ReadStrings(ref reader, key); break;
                default: map.SkipValue(ref reader, key); break; // a newer worker may add fields
            }
        }
        return new DevelopStatus(map.Required(version, "version"), map.Required(state, "state"), model, error, unloading, shared ?? []);
    }

    private static void WriteStrings(ref MessagePackWriter writer, IReadOnlyList<string> values)
    {
        writer.WriteArrayHeader(values.Count);
        foreach (var value in values) writer.Write(value);
    }
}
