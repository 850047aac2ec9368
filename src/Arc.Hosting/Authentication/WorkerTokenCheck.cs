using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Arc.Hosting;

/// <summary>
/// The token check of every worker host: a middleware ahead of the call queue, gRPC and every endpoint (mapped or not,
/// any Arc service, so no endpoint has to remember to ask for the token). A request whose <c>authorization</c> header
/// is not exactly <c>Bearer &lt;the deployment's token&gt;</c> is answered HTTP 401, which gRPC clients read as
/// <c>Unauthenticated</c>, before gRPC reads its body: no deserializer, handler or user code runs. The comparison takes
/// the same time wherever the first difference is.
/// </summary>
/// <remarks>
/// A plain middleware rather than ASP.NET Core's authentication and authorization: those create a handler per call,
/// and the fallback policy authenticates again and evaluates requirements, which cost about 15 µs of worker CPU and
/// 20 µs of latency per call on the 2-core development machine (bench <c>remote</c>, case (a′)); this compares 50 bytes.
/// </remarks>
internal static class WorkerTokenCheck
{
    /// <summary>The middleware that admits only calls carrying <paramref name="token"/>.</summary>
    public static Func<HttpContext, RequestDelegate, Task> Middleware(string token)
    {
        byte[] expected = ExpectedHeader(token);
        return (context, next) =>
        {
            var values = context.Request.Headers.Authorization;
            if (values.Count == 1 && Matches(values[0], expected)) return next(context);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"arc-worker\"";
            return Task.CompletedTask;
        };
    }

    /// <summary>Constant-time comparison of the header's UTF-8 bytes with the expected ones (a length mismatch is answered at once: the length is no secret).</summary>
    internal static bool Matches(string? header, byte[] expected)
    {
        if (header is null || Encoding.UTF8.GetByteCount(header) != expected.Length) return false;
        Span<byte> actual = expected.Length <= 256 ? stackalloc byte[expected.Length] : new byte[expected.Length];
        Encoding.UTF8.GetBytes(header, actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>The header value a caller with <paramref name="token"/> sends.</summary>
    internal static byte[] ExpectedHeader(string token) => Encoding.UTF8.GetBytes("Bearer " + token);
}
