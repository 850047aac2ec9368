using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grpc.Core;

namespace Arc.Testing.Fuzz;

/// <summary>
/// A streaming gRPC call whose whole request — every message and the end of the stream — is sent at once, over plain
/// HTTP/2 (HttpClient, gRPC's framing written here): the worker still reads and answers the messages one by one, but
/// never ends the call while the request is still arriving.
/// </summary>
/// <remarks>
/// Why not Grpc.Net's duplex call: it sends the end of the stream as a frame of its own after the last message, and when
/// the worker refuses a message before that frame arrives, Kestrel resets the stream and keeps it for 5 s (it may still
/// receive data). A client doing that for more than 200 streams in 5 s on one connection (twice the stream limit) is
/// answered ENHANCE_YOUR_CALM and then loses the connection: Kestrel's defence against reset floods, which a fuzzer
/// refusing thousands of streams a second trips under load. Sending the request whole measures Arc's answers instead.
/// </remarks>
internal static class WholeRequestCall
{
    /// <summary>An HTTP/2-only (h2c) client for a loopback worker.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Calls <paramref name="path"/> (e.g. <c>arc.Model/FitStream</c>) with <paramref name="messages"/>; the status, trailers and replies.</summary>
    public static async Task<CallOutcome> CallAsync(HttpClient http, Uri address, string token, string path, IReadOnlyList<byte[]> messages,
        TimeSpan deadline, CancellationToken cancellationToken)
    {
        var body = new byte[messages.Sum(m => 5 + m.Length)];
        int at = 0;
        foreach (var message in messages)
        {
            body[at] = 0; // not compressed
            BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(at + 1), (uint)message.Length);
            message.CopyTo(body, at + 5);
            at += 5 + message.Length;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/" + path))
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact, // h2c: the worker speaks HTTP/2 only
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("grpc-timeout", $"{(long)deadline.TotalSeconds}S");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline + TimeSpan.FromSeconds(5));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        byte[] reply = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        if (response.StatusCode != HttpStatusCode.OK)
            return new CallOutcome(StatusCode.Unknown, $"HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(reply)}", [], []);

        var replies = new List<byte[]>();
        for (int read = 0; read + 5 <= reply.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(read + 1));
            replies.Add(reply.AsSpan(read + 5, length).ToArray());
            read += 5 + length;
        }
        // A call refused before any reply answers "trailers-only": the status is in the headers.
        HttpHeaders status = response.Headers.Contains("grpc-status") ? response.Headers : response.TrailingHeaders;
        var trailers = new Metadata();
        foreach (var (name, values) in status)
        {
            string value = values.First();
            if (name.EndsWith("-bin", StringComparison.Ordinal)) trailers.Add(name, Convert.FromBase64String(value.PadRight((value.Length + 3) / 4 * 4, '=')));
            else trailers.Add(name, value);
        }
        var code = (StatusCode)int.Parse(status.GetValues("grpc-status").First(), System.Globalization.CultureInfo.InvariantCulture);
        string detail = status.TryGetValues("grpc-message", out var encoded) ? Uri.UnescapeDataString(encoded.First()) : "";
        return new CallOutcome(code, detail, trailers, replies);
    }
}
