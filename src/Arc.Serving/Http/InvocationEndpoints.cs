using Arc.Sdk;
using Microsoft.AspNetCore.Http;

namespace Arc.Serving;

/// <summary>
/// Seed 004's serving endpoints: <c>POST /invocations</c> (the body in any content type the model reads, the answer in
/// the type <c>Accept</c> asks for, JSON by default) and <c>GET /ping</c> (200 once the model is loaded, 503 before).
/// </summary>
internal static class InvocationEndpoints
{
    public static async Task InvokeAsync(HttpContext context, ServedModel served, ServingOptions options)
    {
        var queue = served.Queue;
        var module = served.Module;
        string accept = context.Request.Headers.Accept.Count == 0 ? ContentTypes.Any : string.Join(", ", context.Request.Headers.Accept.ToArray());
        // Refused before the model runs: no work for an answer the caller cannot take.
        if (ContentTypes.Negotiate(accept, module.OutputContentTypes) is null)
            throw new NotAcceptableContentTypeException(accept, module.OutputContentTypes);
        var body = await RequestBodies.ReadAsync(context.Request, options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        var input = module.Deserialize(body, context.Request.ContentType ?? ContentTypes.OctetStream);
        var output = await queue.PredictAsync(input).ConfigureAwait(false);
        var (bytes, contentType) = module.Serialize(output, accept);
        await HttpAnswers.BytesAsync(context, bytes, contentType).ConfigureAwait(false);
    }

    public static Task PingAsync(HttpContext context, ServedModel served)
        => served.IsReady
            ? HttpAnswers.JsonAsync(context, StatusCodes.Status200OK, w => { w.WriteStartObject(); w.WriteString("status", "ready"); w.WriteEndObject(); })
            : HttpAnswers.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, served.LoadFailure is { } e ? $"model failed to load: {e.Message}" : served.Draining ? "stopping" : "loading");
}
