using Arc.Sdk;
using Arc.Types;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Arc.Serving;

/// <summary>
/// Runs an endpoint and turns what went wrong into the answer that says so: 400 for input that is not valid (naming the
/// field), 406/415 with the supported content types, 413 for a body over the limit, 503 while the model is not loaded,
/// 500 for a failure of the model itself (logged). The server keeps serving after every one of them.
/// </summary>
internal static class EndpointErrors
{
    public static RequestDelegate Guard(Func<HttpContext, Task> endpoint, ILogger logger) => async context =>
    {
        try
        {
            await endpoint(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && Answer(e) is { } answer)
        {
            // The unread rest of a refused body is not drained: the connection closes after the answer, and says so, so
            // that a client does not send its next request down a connection about to end.
            if (answer.Status == StatusCodes.Status413PayloadTooLarge && context.Request.Protocol == "HTTP/1.1")
                context.Response.Headers.Connection = "close";
            if (answer.Status >= 500 && answer.Status != StatusCodes.Status503ServiceUnavailable)
                logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            await HttpAnswers.ErrorAsync(context, answer.Status, answer.Message, answer.Supported).ConfigureAwait(false);
        }
    };

    private static (int Status, string Message, IReadOnlyList<string>? Supported)? Answer(Exception e) => e switch
    {
        OperationCanceledException => null, // the caller went away: nobody to answer
        BodyTooLargeException => (StatusCodes.Status413PayloadTooLarge, e.Message, null),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message, null),
        UnsupportedContentTypeException unsupported => (StatusCodes.Status415UnsupportedMediaType, e.Message, unsupported.Supported),
        NotAcceptableContentTypeException notAcceptable => (StatusCodes.Status406NotAcceptable, e.Message, notAcceptable.Supported),
        OipRequestException or ArcFormatException or ArgumentException => (StatusCodes.Status400BadRequest, e.Message, null),
        ModelUnavailableException => (StatusCodes.Status503ServiceUnavailable, e.Message, null),
        _ => (StatusCodes.Status500InternalServerError, $"{e.GetType().Name}: {e.Message}", null),
    };
}
