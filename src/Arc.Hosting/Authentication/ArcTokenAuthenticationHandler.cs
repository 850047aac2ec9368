using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arc.Hosting;

/// <summary>The options of <see cref="ArcTokenAuthenticationHandler"/>: the one token this worker accepts.</summary>
internal sealed class ArcTokenAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The bytes of the whole expected header value, <c>Bearer &lt;token&gt;</c>, compared in constant time.</summary>
    public byte[] ExpectedAuthorization { get; set; } = [];
}

/// <summary>
/// ASP.NET Core authentication for an Arc worker: a call is authenticated when its <c>authorization</c> header is
/// exactly <c>Bearer &lt;the deployment's token&gt;</c>. The comparison takes the same time wherever the first
/// difference is. Runs in the authentication middleware, so a refused call never reaches gRPC's deserializers, the
/// handlers or user code; the authorization middleware answers it with HTTP 401, which gRPC clients read as
/// <c>Unauthenticated</c>.
/// </summary>
internal sealed class ArcTokenAuthenticationHandler(
    IOptionsMonitor<ArcTokenAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ArcTokenAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "ArcWorkerToken";

    // One immutable principal for every authenticated call: the token names no user, and a call should not pay for allocating one.
    private static readonly ClaimsPrincipal Owner = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "owner")], SchemeName));
    private static readonly AuthenticateResult Success = AuthenticateResult.Success(new AuthenticationTicket(Owner, SchemeName));
    private static readonly AuthenticateResult Missing = AuthenticateResult.Fail("no authorization header: send 'authorization: Bearer <worker token>'");
    private static readonly AuthenticateResult Wrong = AuthenticateResult.Fail("the worker token is wrong");

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers.Authorization;
        if (values.Count == 0) return Task.FromResult(Missing);
        if (values.Count > 1) return Task.FromResult(Wrong);
        return Task.FromResult(Matches(values[0], Options.ExpectedAuthorization) ? Success : Wrong);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"arc-worker\"";
        return Task.CompletedTask;
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
