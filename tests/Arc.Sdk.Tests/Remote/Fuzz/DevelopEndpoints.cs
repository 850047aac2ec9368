using System.Text;
using Grpc.Core;
using Arc.Remote;

namespace Arc.Testing.Fuzz;

/// <summary>
/// The <c>arc.Develop</c> methods of a develop worker: Missing, PutBlob, Status and Reload (last: every reload that
/// decodes replaces the served model by nothing, so the model's own endpoints are fuzzed before it). Reload frames name
/// blobs the worker never receives, so one that decodes is refused before any file is written.
/// </summary>
internal static class DevelopEndpoints
{
    private const string Service = ArcDevelopMethods.ServiceName;

    public static IReadOnlyList<FuzzEndpoint> Create(string modelName)
    {
        byte[] blob = Encoding.UTF8.GetBytes("a blob the develop fuzzer uploads");
        string stored = BlobDigest.Of(blob), empty = BlobDigest.Of([]);
        string never1 = BlobDigest.Of(Encoding.UTF8.GetBytes("never uploaded 1")), never2 = BlobDigest.Of(Encoding.UTF8.GetBytes("never uploaded 2"));
        return
        [
            new(Service, "Missing", CallShape.Unary,
                [Frame(ArcDevelopMarshallers.Digests, new BlobDigests([stored, never1])), Frame(ArcDevelopMarshallers.Digests, new BlobDigests([]))],
                frame => LocalWire.Expect(ArcDevelopMarshallers.Digests, frame, request =>
                {
                    if (request.Digests.FirstOrDefault(d => !BlobDigest.IsValid(d)) is { } bad)
                        return Refused($"'{bad}' is not a SHA-256 digest (64 lower-case hex characters)");
                    return LocalWire.OneReply(reply => LocalWire.Decode(ArcDevelopMarshallers.Digests, reply).Value is { } missing
                        && missing.Digests.All(request.Digests.Contains) && missing.Digests.Distinct().Count() == missing.Digests.Count
                            ? null : "the missing digests are not a distinct subset of those asked about");
                })),
            new(Service, "PutBlob", CallShape.Unary,
                [Frame(ArcDevelopMarshallers.Upload, new BlobUpload(stored, blob)), Frame(ArcDevelopMarshallers.Upload, new BlobUpload(empty, Array.Empty<byte>()))],
                frame => LocalWire.Expect(ArcDevelopMarshallers.Upload, frame, upload =>
                {
                    // The same checks, in the same order, as the worker's BlobStore.PutAsync.
                    if (!BlobDigest.IsValid(upload.Digest))
                        return Refused($"'{(upload.Digest.Length <= 80 ? upload.Digest : upload.Digest[..80] + "…")}' is not a SHA-256 digest (64 lower-case hex characters)");
                    string actual = BlobDigest.Of(upload.Bytes.Span);
                    return actual == upload.Digest
                        ? LocalWire.ReplyEquals([0xC0])
                        : Refused($"blob {upload.Digest} was refused: its {upload.Bytes.Length} bytes have the digest {actual}");
                })),
            new(Service, "Status", CallShape.Unary, [[0xC0], [0x80]], frame => LocalWire.Expect(ArcMarshallers.Empty, frame,
                _ => LocalWire.OneReply(reply => LocalWire.Decode(ArcDevelopMarshallers.Status, reply).Malformed))),
            new(Service, "Reload", CallShape.Unary,
                [
                    Frame(ArcDevelopMarshallers.Reload, new ReloadRequest("Fuzz.dll", new Dictionary<string, string> { ["Fuzz.dll"] = never1, ["lib/Dep.dll"] = never2 }, modelName, null)),
                    Frame(ArcDevelopMarshallers.Reload, new ReloadRequest("Fuzz.dll", new Dictionary<string, string> { ["Fuzz.dll"] = never1 }, modelName, new byte[] { 0x80 })),
                ],
                frame => LocalWire.Expect(ArcDevelopMarshallers.Reload, frame, _ => new Expected.Refused(StatusCode.InvalidArgument,
                    d => d.StartsWith("reload ", StringComparison.Ordinal) && d.Contains(" refused: ", StringComparison.Ordinal), "reload N refused: ..."))),
        ];
    }

    private static Expected.Refused Refused(string detail)
    {
        detail = StatusDetails.Clip(detail);
        return new(StatusCode.InvalidArgument, d => d == detail, Expected.Clip(detail));
    }

    private static byte[] Frame<T>(Marshaller<T> marshaller, T value) => LocalWire.Encode(marshaller, value);
}
