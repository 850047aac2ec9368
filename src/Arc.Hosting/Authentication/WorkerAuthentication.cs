using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Arc.Hosting;

/// <summary>
/// Wires <see cref="ArcTokenAuthenticationHandler"/> into a worker host: the token scheme is the default, and the
/// fallback authorization policy requires it, so every endpoint (mapped or not, any Arc service) refuses a call without
/// the token — no endpoint has to remember to ask for it.
/// </summary>
internal static class WorkerAuthentication
{
    public static void AddTo(IServiceCollection services, string token)
    {
        byte[] expected = ArcTokenAuthenticationHandler.ExpectedHeader(token);
        services.AddAuthentication(ArcTokenAuthenticationHandler.SchemeName)
            .AddScheme<ArcTokenAuthenticationOptions, ArcTokenAuthenticationHandler>(
                ArcTokenAuthenticationHandler.SchemeName, scheme => scheme.ExpectedAuthorization = expected);
        services.AddAuthorization(authorization => authorization.FallbackPolicy =
            new AuthorizationPolicyBuilder(ArcTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
    }
}
