using System.Buffers;
using MessagePack;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Testing.Fuzz;

/// <summary>
/// The <c>arc.Pod</c> methods of a worker serving <see cref="FuzzPods"/>: Invoke and Describe. An Invoke that decodes is
/// prepared and run here by the same registrations, so the worker's answer (result, unknown pod, unreadable arguments,
/// the pod's own exception) is predicted exactly.
/// </summary>
internal static class PodEndpoints
{
    private const string Service = ArcPodMethods.ServiceName;

    public static IReadOnlyList<FuzzEndpoint> Create()
    {
        var local = new PodRegistrationHandler(ArcRegistry.Pods.Where(p => p.Type == typeof(FuzzPods)));
        byte[][] valid =
        [
            Invoke("fuzz.sum", (ref MessagePackWriter w) =>
            {
                w.WriteMapHeader(2);
                w.Write("values"); w.WriteArrayHeader(3); w.Write(1.5); w.Write(-2.0); w.Write(4.25);
                w.Write("scale"); w.Write(2.0);
            }),
            Invoke("fuzz.sum", (ref MessagePackWriter w) => { w.WriteMapHeader(1); w.Write("values"); w.WriteArrayHeader(0); }),
            Invoke("fuzz.line", (ref MessagePackWriter w) =>
            {
                w.WriteMapHeader(3);
                w.Write("text"); w.Write("hello");
                w.Write("number"); w.Write(42L);
                w.Write("flag"); w.Write(true);
            }),
        ];
        return
        [
            new(Service, "Invoke", CallShape.Unary, valid, frame => LocalWire.Expect(ArcPodMarshallers.InvokeRequest, frame, request => Predict(local, request))),
            new(Service, "Describe", CallShape.Unary, [[0xC0]], frame => LocalWire.Expect(ArcMarshallers.Empty, frame, _ => LocalWire.OneReply(reply =>
                LocalWire.Decode(ArcPodMarshallers.Catalog, reply).Value?.Pods.Select(p => p.Name).Intersect(["fuzz.sum", "fuzz.line"]).Count() == 2
                    ? null : "the catalog lacks the fuzz pods"))),
        ];
    }

    /// <summary>What <see cref="ArcPodService"/> answers for a decoded request, worked out with the same registrations.</summary>
    private static Expected Predict(PodRegistrationHandler local, PodInvokeRequest request)
    {
        PodCall? call;
        try
        {
            call = local.Prepare(request.Pod, request.Arguments);
        }
        catch (ArcFormatException e)
        {
            string detail = StatusDetails.Clip(e.Message.Contains($"pod '{request.Pod}'", StringComparison.Ordinal) ? e.Message : $"pod '{request.Pod}': {e.Message}");
            return new Expected.Refused(Grpc.Core.StatusCode.InvalidArgument, d => d == detail, Expected.Clip(detail));
        }
        if (call is null)
            return new Expected.Refused(Grpc.Core.StatusCode.NotFound, d => d.StartsWith($"this worker serves no pod named '{StatusDetails.Quote(request.Pod)}'", StringComparison.Ordinal), "unknown pod");
        try
        {
            var result = call(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return LocalWire.ReplyEquals(LocalWire.Encode(ArcPodMarshallers.InvokeReply, new PodInvokeReply(result)));
        }
        catch (Exception e)
        {
            return new Expected.RemoteError(e.GetType());
        }
    }

    private delegate void WriteArguments(ref MessagePackWriter writer);

    private static byte[] Invoke(string pod, WriteArguments arguments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        arguments(ref writer);
        writer.Flush();
        return LocalWire.Encode(ArcPodMarshallers.InvokeRequest, new PodInvokeRequest(pod, buffer.WrittenSpan.ToArray()));
    }
}
