using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Arc.Tracking.Server;

/// <summary>
/// Counts and times every call of the tracking service by method and status, as the first middleware, so calls refused
/// before gRPC decodes them (a missing token) are counted too. A path that is no method of the service is counted under
/// <c>method="other"</c>, so a scanner cannot grow the series without bound.
/// </summary>
internal static class CallMetricsMiddleware
{
    private static readonly string Prefix = "/" + TrackingService.Descriptor.FullName + "/";
    private static readonly FrozenSet<string> Methods = TrackingService.Descriptor.Methods.Select(m => m.Name).ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, string> CodeNames = Enum.GetValues<StatusCode>()
        .ToFrozenDictionary(c => ((int)c).ToString(CultureInfo.InvariantCulture), c => c.ToString(), StringComparer.Ordinal);

    public static Func<HttpContext, RequestDelegate, Task> Middleware(TrackingServerMetrics metrics) => async (context, next) =>
    {
        string path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        string method = Methods.Contains(path[Prefix.Length..]) ? path[Prefix.Length..] : "other";
        long started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            metrics.CallSeconds.WithLabels(method).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            metrics.Calls.WithLabels(method, CodeOf(context)).Inc();
        }
    };

    /// <summary>The call's gRPC status name: from the trailers, or from the headers of a trailers-only answer.</summary>
    private static string CodeOf(HttpContext context)
    {
        string? code = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"].ToString();
        if (string.IsNullOrEmpty(code)) code = context.Response.Headers["grpc-status"].ToString();
        if (string.IsNullOrEmpty(code)) return context.RequestAborted.IsCancellationRequested ? nameof(StatusCode.Cancelled) : "none";
        return CodeNames.GetValueOrDefault(code, "other");
    }
}
