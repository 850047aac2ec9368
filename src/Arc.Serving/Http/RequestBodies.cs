using Microsoft.AspNetCore.Http;

namespace Arc.Serving;

/// <summary>Reads a whole request body within the server's limit; a larger one is <see cref="BodyTooLargeException"/> (413).</summary>
internal static class RequestBodies
{
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
            throw new BodyTooLargeException(declared, limit);
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) throw new BodyTooLargeException(buffer.Length + read, limit);
            buffer.Write(chunk, 0, read);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}

/// <summary>A request body over <see cref="ServingOptions.MaxRequestBytes"/>: HTTP 413.</summary>
internal sealed class BodyTooLargeException(long size, long limit)
    : Exception($"the request body is at least {size} bytes; this server takes at most {limit} (--max-request-bytes)");
