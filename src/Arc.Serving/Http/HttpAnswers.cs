using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Arc.Serving;

/// <summary>The JSON answers every endpoint shares: errors as <c>{"error": "..."}</c> (the Open Inference Protocol's form) and small objects.</summary>
internal static class HttpAnswers
{
    public static Task ErrorAsync(HttpContext context, int status, string message, IReadOnlyList<string>? supported = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            if (supported is not null)
            {
                writer.WriteStartArray("supported");
                foreach (var type in supported) writer.WriteStringValue(type);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        return context.Response.Body.WriteAsync(buffer.ToArray()).AsTask();
    }

    public static Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return context.Response.Body.WriteAsync(buffer.ToArray()).AsTask();
    }

    public static async Task BytesAsync(HttpContext context, byte[] body, string contentType)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}
