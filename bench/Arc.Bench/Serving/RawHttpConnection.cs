using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Arc.Bench.Serving;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends the same prepared request again and again and reads each answer's
/// status and body: the bench's load generator. The clients share the machine's two cores with the server they
/// measure, so they must cost as little as a load tool such as wrk does: a request is one send of prepared bytes and an
/// answer one or two receives, where <see cref="HttpClient"/> spends about as much CPU on a request as the server does
/// (docs/serving.md, "Measured"). It reads answers with a <c>Content-Length</c> only, as every server measured here sends.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] ContentLengthName = "content-length:"u8.ToArray();
    private readonly Socket _socket;
    private readonly byte[] _request;
    private readonly byte[] _buffer = new byte[64 * 1024];

    private RawHttpConnection(Socket socket, byte[] request)
    {
        _socket = socket;
        _request = request;
    }

    /// <summary>Connects to <paramref name="url"/>'s host and prepares a POST of <paramref name="body"/> to its path.</summary>
    public static async Task<RawHttpConnection> OpenAsync(Uri url, byte[] body, string contentType, IReadOnlyList<(string Name, string Value)> headers)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(url.Host), url.Port));
        var head = new StringBuilder()
            .Append($"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n");
        foreach (var (name, value) in headers) head.Append($"{name}: {value}\r\n");
        head.Append("\r\n");
        return new RawHttpConnection(socket, [.. Encoding.ASCII.GetBytes(head.ToString()), .. body]);
    }

    /// <summary>Sends the request once and reads its whole answer; anything but 200 is an error that names the answer.</summary>
    public async Task PostAsync()
    {
        await _socket.SendAsync(_request, SocketFlags.None);
        int filled = 0, headerLength;
        while ((headerLength = _buffer.AsSpan(0, filled).IndexOf(HeaderEnd)) < 0)
            filled += await ReceiveAsync(filled);
        headerLength += HeaderEnd.Length;
        if (!_buffer.AsSpan(0, filled).StartsWith("HTTP/1.1 200 "u8))
            throw new InvalidOperationException($"the server answered: {Encoding.UTF8.GetString(_buffer, 0, filled)}");
        int total = headerLength + ContentLength(_buffer.AsSpan(0, headerLength));
        if (total > _buffer.Length) throw new InvalidOperationException($"an answer of {total} bytes is larger than the bench client reads");
        while (filled < total) filled += await ReceiveAsync(filled);
        if (filled != total) throw new InvalidOperationException("the server sent more than one answer to one request");
    }

    private async Task<int> ReceiveAsync(int offset)
    {
        int read = await _socket.ReceiveAsync(_buffer.AsMemory(offset), SocketFlags.None);
        return read > 0 ? read : throw new InvalidOperationException("the server closed the connection");
    }

    private static int ContentLength(ReadOnlySpan<byte> header)
    {
        Span<byte> lower = stackalloc byte[header.Length];
        Ascii.ToLower(header, lower, out _);
        int at = lower.IndexOf(ContentLengthName);
        if (at < 0) throw new InvalidOperationException("the answer has no Content-Length (the bench client reads no chunked answers)");
        var rest = header[(at + ContentLengthName.Length)..];
        int value = 0, digits = 0;
        foreach (byte b in rest)
        {
            if (b == (byte)' ' && digits == 0) continue;
            if (b is < (byte)'0' or > (byte)'9') break;
            value = value * 10 + (b - '0');
            digits++;
        }
        return digits > 0 ? value : throw new InvalidOperationException("the answer's Content-Length is not a number");
    }

    public void Dispose() => _socket.Dispose();
}
