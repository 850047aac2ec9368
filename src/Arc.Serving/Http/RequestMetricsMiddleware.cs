using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Arc.Serving;

/// <summary>Counts and times every request (refused ones too) by endpoint and status code.</summary>
internal static class RequestMetricsMiddleware
{
    public static Func<HttpContext, RequestDelegate, Task> Middleware(ServingMetrics metrics) => async (context, next) =>
    {
        long started = Stopwatch.GetTimestamp();
        string endpoint = EndpointOf(context.Request.Path.Value ?? "");
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            metrics.RequestSeconds.WithLabels(endpoint).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            metrics.Requests.WithLabels(endpoint, StatusText(context.Response.StatusCode)).Inc();
        }
    };

    private static string EndpointOf(string path) => path switch
    {
        "/invocations" => "invocations",
        "/ping" => "health",
        "/metrics" => "metrics",
        _ when path.StartsWith("/v2/health/", StringComparison.Ordinal) || path.EndsWith("/ready", StringComparison.Ordinal) => "health",
        _ when path.EndsWith("/infer", StringComparison.Ordinal) => "infer",
        _ when path.StartsWith("/v2", StringComparison.Ordinal) => "metadata",
        _ => "other",
    };

    // The few codes a server answers, without formatting an int on every request.
    private static string StatusText(int code) => code switch
    {
        200 => "200", 400 => "400", 401 => "401", 404 => "404", 406 => "406", 413 => "413", 415 => "415", 500 => "500", 503 => "503",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
