using System.Buffers;
using Grpc.Core;
using MessagePack;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// The marshallers of <c>arc.Pod</c>, over <see cref="WireReader"/>. The argument map and the result travel as raw
/// MessagePack values: the transport checks that they are one well-formed value within the reader's limits (and that
/// the arguments are a map); the pod's generated reader checks their contents.
/// </summary>
public static class ArcPodMarshallers
{
    /// <summary><c>{"pod": str, "arguments": map}</c>.</summary>
    public static Marshaller<PodInvokeRequest> InvokeRequest { get; } = WireMarshaller.Create<PodInvokeRequest>("pod invoke request",
        static (ref w, v) =>
        {
            w.WriteMapHeader(2);
            w.Write("pod");
            w.Write(v.Pod);
            w.Write("arguments");
            w.WriteRaw(v.Arguments.Span);
        },
        static (ref r) =>
        {
            var map = WireMap.Open(ref r, "", tag: null);
            string? pod = null;
            ReadOnlyMemory<byte>? arguments = null;
            while (map.NextKey(ref r, out var key))
            {
                if (key == "pod") pod = WireReader.ReadString(ref r, key);
                else if (key == "arguments")
                {
                    WireReader.Expect(ref r, MessagePackType.Map, key, "a map keyed by parameter name");
                    arguments = WireReader.ReadRaw(ref r, key).ToArray();
                }
                else map.SkipValue(ref r, key); // a newer client may add options
            }
            return new PodInvokeRequest(map.Required(pod, "pod"), map.Required(arguments, "arguments"));
        });

    /// <summary><c>{"result": value}</c>.</summary>
    public static Marshaller<PodInvokeReply> InvokeReply { get; } = WireMarshaller.Create<PodInvokeReply>("pod invoke reply",
        static (ref w, v) =>
        {
            w.WriteMapHeader(1);
            w.Write("result");
            if (v.Result.IsEmpty) w.WriteNil();
            else w.WriteRaw(v.Result.Span);
        },
        static (ref r) =>
        {
            var map = WireMap.Open(ref r, "", tag: null);
            ReadOnlyMemory<byte>? result = null;
            while (map.NextKey(ref r, out var key))
            {
                if (key == "result") result = WireReader.ReadRaw(ref r, key).ToArray();
                else map.SkipValue(ref r, key);
            }
            return new PodInvokeReply(map.Required(result, "result"));
        });

    /// <summary><c>{"pods": [{"name", "parameters": [{"name", "type"}], "result"}]}</c>.</summary>
    public static Marshaller<PodCatalog> Catalog { get; } = WireMarshaller.Create<PodCatalog>("pod catalog", WriteCatalog, ReadCatalog);

    private static void WriteCatalog(ref MessagePackWriter w, PodCatalog catalog)
    {
        w.WriteMapHeader(1);
        w.Write("pods");
        w.WriteArrayHeader(catalog.Pods.Count);
        foreach (var pod in catalog.Pods)
        {
            w.WriteMapHeader(3);
            w.Write("name");
            w.Write(pod.Name);
            w.Write("parameters");
            w.WriteArrayHeader(pod.Parameters.Count);
            foreach (var p in pod.Parameters)
            {
                w.WriteMapHeader(2);
                w.Write("name");
                w.Write(p.Name);
                w.Write("type");
                w.Write(p.Type);
            }
            w.Write("result");
            w.Write(pod.ResultType);
        }
    }

    private static PodCatalog ReadCatalog(ref MessagePackReader r)
    {
        var map = WireMap.Open(ref r, "", tag: null);
        PodDescription[]? pods = null;
        while (map.NextKey(ref r, out var key))
        {
            if (key != "pods") { map.SkipValue(ref r, key); continue; }
            pods = new PodDescription[WireReader.ReadArrayHeader(ref r, key)];
            for (int k = 0; k < pods.Length; k++)
                pods[k] = ReadPod(ref r, WireReader.Element(key, k));
        }
        return new PodCatalog(map.Required(pods, "pods"));
    }

    private static PodDescription ReadPod(ref MessagePackReader r, string where)
    {
        var map = WireMap.Open(ref r, where, tag: null);
        string? name = null, result = null;
        PodParameterDescription[]? parameters = null;
        while (map.NextKey(ref r, out var key))
        {
            if (key == "name") name = WireReader.ReadString(ref r, map.Path(key));
            else if (key == "result") result = WireReader.ReadString(ref r, map.Path(key));
            else if (key == "parameters")
            {
                string path = map.Path(key);
                parameters = new PodParameterDescription[WireReader.ReadArrayHeader(ref r, path)];
                for (int k = 0; k < parameters.Length; k++)
                    parameters[k] = ReadParameter(ref r, WireReader.Element(path, k));
            }
            else map.SkipValue(ref r, key);
        }
        return new PodDescription(map.Required(name, "name"), map.Required(parameters, "parameters"), map.Required(result, "result"));
    }

    private static PodParameterDescription ReadParameter(ref MessagePackReader r, string where)
    {
        var map = WireMap.Open(ref r, where, tag: null);
        string? name = null, type = null;
        while (map.NextKey(ref r, out var key))
        {
            if (key == "name") name = WireReader.ReadString(ref r, map.Path(key));
            else if (key == "type") type = WireReader.ReadString(ref r, map.Path(key));
            else map.SkipValue(ref r, key);
        }
        return new PodParameterDescription(map.Required(name, "name"), map.Required(type, "type"));
    }
}
