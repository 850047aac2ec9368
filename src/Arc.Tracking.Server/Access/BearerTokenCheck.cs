using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Arc.Tracking.Server;

/// <summary>
/// The first half of access (docs/tracking.md, "Access"): a middleware ahead of gRPC that admits a call only with
/// <c>authorization: Bearer &lt;a configured secret&gt;</c> and ends any other call <c>Unauthenticated</c> before gRPC
/// reads its body, so no request of an unknown caller is ever decoded. The token found is left in the call's
/// <see cref="HttpContext.Items"/> for <see cref="NamespaceAccessInterceptor"/>, which checks the namespaces.
/// </summary>
internal static class BearerTokenCheck
{
    private const string Scheme = "Bearer ";
    private static readonly object CallerKey = new();

    /// <summary>The token a call was admitted with (null when the server checks no tokens).</summary>
    public static TrackingToken? CallerOf(HttpContext context) => context.Items.TryGetValue(CallerKey, out var token) ? (TrackingToken?)token : null;

    public static Func<HttpContext, RequestDelegate, Task> Middleware(TokenTable tokens) => (context, next) =>
    {
        var values = context.Request.Headers.Authorization;
        string? refusal = values.Count switch
        {
            0 => "this tracking server needs a token: send `authorization: Bearer <token>` (arc: --token or ARC_TRACKING_TOKEN)",
            > 1 => "the call carries more than one authorization header",
            _ when !values[0]!.StartsWith(Scheme, StringComparison.Ordinal) => "the authorization header is not `Bearer <token>`",
            _ => null,
        };
        if (refusal is null)
        {
            var token = tokens.Find(values[0]![Scheme.Length..]);
            if (token is not null)
            {
                context.Items[CallerKey] = token;
                return next(context);
            }
            refusal = "the token is not one of this tracking server's tokens";
        }
        return Refuse(context, refusal);
    };

    /// <summary>
    /// Ends the call with <c>Unauthenticated</c>: a gRPC call gets a trailers-only answer (HTTP 200 with <c>grpc-status</c>
    /// in the headers) so the client sees the message; any other request (a scrape of /metrics) gets HTTP 401.
    /// </summary>
    private static Task Refuse(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"arc-tracking\"";
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = ((int)StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return Task.CompletedTask;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return context.Response.WriteAsync(message + "\n");
    }
}
