using System.Buffers;
using Grpc.Core;
using MessagePack;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// The marshallers of <c>arc.Pod</c>. The argument map and the result travel as raw MessagePack values: the transport
/// checks only that they are one well-formed value (and that the arguments are a map); the pod's generated reader
/// checks their contents.
/// </summary>
public static class ArcPodMarshallers
{
    /// <summary>The most pods one <c>Describe</c> reply may list, and the most parameters one pod may have in it.</summary>
    public const int MaxListLength = 4096;

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
            const string where = "pod invoke request";
            int count = WireFields.ReadMapHeader(ref r, where);
            string? pod = null;
            ReadOnlyMemory<byte>? arguments = null;
            for (int i = 0; i < count; i++)
            {
                string key = WireFields.ReadKey(ref r, where);
                if (key == "pod") pod = WireFields.ReadString(ref r, $"{where}.pod");
                else if (key == "arguments")
                {
                    if (r.NextMessagePackType != MessagePackType.Map)
                        throw new ArcFormatException($"{where}.arguments: expected a map keyed by parameter name, found {r.NextMessagePackType}");
                    arguments = r.ReadRaw().ToArray();
                }
                else r.Skip(); // a newer client may add options
            }
            return new PodInvokeRequest(WireFields.Required(pod, $"{where}.pod"), WireFields.Required(arguments, $"{where}.arguments"));
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
            const string where = "pod invoke reply";
            int count = WireFields.ReadMapHeader(ref r, where);
            ReadOnlyMemory<byte>? result = null;
            for (int i = 0; i < count; i++)
            {
                if (WireFields.ReadKey(ref r, where) == "result") result = r.ReadRaw().ToArray();
                else r.Skip();
            }
            return new PodInvokeReply(WireFields.Required(result, $"{where}.result"));
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
        const string where = "pod catalog";
        int count = WireFields.ReadMapHeader(ref r, where);
        PodDescription[]? pods = null;
        for (int i = 0; i < count; i++)
        {
            if (WireFields.ReadKey(ref r, where) != "pods") { r.Skip(); continue; }
            pods = new PodDescription[ReadArrayHeader(ref r, $"{where}.pods")];
            for (int k = 0; k < pods.Length; k++)
                pods[k] = ReadPod(ref r, $"{where}.pods[{k}]");
        }
        return new PodCatalog(WireFields.Required(pods, $"{where}.pods"));
    }

    private static PodDescription ReadPod(ref MessagePackReader r, string where)
    {
        int count = WireFields.ReadMapHeader(ref r, where);
        string? name = null, result = null;
        PodParameterDescription[]? parameters = null;
        for (int i = 0; i < count; i++)
        {
            string key = WireFields.ReadKey(ref r, where);
            if (key == "name") name = WireFields.ReadString(ref r, $"{where}.name");
            else if (key == "result") result = WireFields.ReadString(ref r, $"{where}.result");
            else if (key == "parameters")
            {
                parameters = new PodParameterDescription[ReadArrayHeader(ref r, $"{where}.parameters")];
                for (int k = 0; k < parameters.Length; k++)
                    parameters[k] = ReadParameter(ref r, $"{where}.parameters[{k}]");
            }
            else r.Skip();
        }
        return new PodDescription(WireFields.Required(name, $"{where}.name"), WireFields.Required(parameters, $"{where}.parameters"),
            WireFields.Required(result, $"{where}.result"));
    }

    private static PodParameterDescription ReadParameter(ref MessagePackReader r, string where)
    {
        int count = WireFields.ReadMapHeader(ref r, where);
        string? name = null, type = null;
        for (int i = 0; i < count; i++)
        {
            string key = WireFields.ReadKey(ref r, where);
            if (key == "name") name = WireFields.ReadString(ref r, $"{where}.name");
            else if (key == "type") type = WireFields.ReadString(ref r, $"{where}.type");
            else r.Skip();
        }
        return new PodParameterDescription(WireFields.Required(name, $"{where}.name"), WireFields.Required(type, $"{where}.type"));
    }

    // A forged length must not size an allocation: lists are short, so anything longer is refused before allocating.
    private static int ReadArrayHeader(ref MessagePackReader r, string where)
    {
        if (r.NextMessagePackType != MessagePackType.Array)
            throw new ArcFormatException($"{where}: expected an array, found {r.NextMessagePackType}");
        int length = r.ReadArrayHeader();
        if (length > MaxListLength) throw new ArcFormatException($"{where}: {length} entries is more than {MaxListLength}");
        return length;
    }
}
