using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Arc.Artifacts;

/// <summary>
/// Authenticates one registry's requests the way the distribution spec and Docker do: the registry's challenge
/// (<c>WWW-Authenticate</c> on a 401, usually learned from <c>GET /v2/</c>) says Basic or Bearer; for Basic the
/// credential goes on every request; for Bearer a token for the request's scope
/// (<c>repository:&lt;name&gt;:pull[,push]</c>) is fetched from the challenge's realm, with the credential or
/// anonymously, cached until it expires, and sent. Credentials only ever go to the registry's own origin and to its
/// token service (over HTTPS, or plain HTTP on the same host as a plain-HTTP registry); never across a redirect.
/// </summary>
internal sealed class RegistryAuthenticator(
    string registry,
    Uri registryRoot,
    OciRegistryOptions options,
    Func<HttpRequestMessage, string, string, CancellationToken, Task<HttpResponseMessage>> sendRaw)
{
    const int MaxTokenResponse = 1024 * 1024;
    static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);

    readonly ConcurrentDictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);
    Task<RegistryCredential?>? _credential;
    volatile Challenge? _challenge;

    /// <summary>What a request carried, so that a refusal can say whose credentials were refused.</summary>
    public readonly record struct Sent(RegistryCredential? Credential, string? TokenKey, bool Basic)
    {
        public bool Anything => Basic || TokenKey is not null;
    }

    sealed record Challenge(string Scheme, string? Realm, string? Service);

    sealed record CachedToken(string Token, DateTimeOffset Expires, RegistryCredential? Credential);

    /// <summary>Remembers the challenge of a 401 (from the <c>/v2/</c> ping), so later requests authenticate up front.</summary>
    public void Learn(HttpResponseMessage response)
    {
        if (Parse(response) is { } challenge) _challenge = challenge;
    }

    /// <summary>Adds the Authorization the registry's known challenge calls for.</summary>
    public async Task<Sent> AuthorizeAsync(HttpRequestMessage request, string? scope, string reference, CancellationToken cancellationToken)
    {
        var challenge = _challenge;
        if (challenge is null) return default;
        if (challenge.Scheme == "basic")
        {
            if (await CredentialAsync(reference, cancellationToken).ConfigureAwait(false) is not { Password: not null } credential) return default;
            request.Headers.Authorization = BasicHeader(credential);
            return new Sent(credential, null, true);
        }
        string key = TokenKey(challenge, scope);
        if (_tokens.TryGetValue(key, out var cached) && cached.Expires > DateTimeOffset.UtcNow)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cached.Token);
            return new Sent(cached.Credential, key, false);
        }
        if (scope is null) return default;
        var token = await FetchTokenAsync(challenge, scope, key, reference, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return new Sent(token.Credential, key, false);
    }

    /// <summary>
    /// After a 401: learns its challenge and says whether one more try can succeed (a credential or token not yet
    /// sent). Throws a clear error when none can: no credentials, or a token service that refused them.
    /// </summary>
    public async Task<bool> ChallengedAsync(HttpResponseMessage response, Sent sent, string? scope, string reference, string operation,
        CancellationToken cancellationToken)
    {
        if (Parse(response) is not { } challenge) return false;
        _challenge = challenge;
        if (challenge.Scheme == "basic")
        {
            if (sent.Basic) return false;
            var credential = await CredentialAsync(reference, cancellationToken).ConfigureAwait(false);
            if (credential is null) throw NoCredentials(reference, operation, 401);
            if (credential.Password is null)
                throw new ArtifactAuthenticationException(reference, registry, 401,
                    $"{registry} asks for a user name and password (Basic auth) for {operation} on {reference}, but the credential is {credential}, " +
                    "which only a token service accepts: log in with a password (`docker login`) or set OciRegistryOptions.Credential");
            return true;
        }
        // The challenge's own scope is what the registry wants (it may ask for more than we guessed).
        string wanted = ChallengeParameter(response, "scope") ?? scope ?? "";
        string key = TokenKey(challenge, wanted);
        if (sent.TokenKey == key) return false;
        var token = await FetchTokenAsync(challenge, wanted, key, reference, cancellationToken).ConfigureAwait(false);
        // File the token under the caller's scope too, so that the retry (and later requests) find it.
        if (scope is not null) _tokens[TokenKey(challenge, scope)] = token;
        return true;
    }

    /// <summary>The error for a request refused although the authentication the registry asked for was sent (or could not be).</summary>
    public async Task<Exception> RefusedAsync(HttpResponseMessage response, Sent sent, string reference, string operation, CancellationToken cancellationToken)
    {
        var (code, message) = await RegistryErrors.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        string said = code is null && message is null ? "" : $" ({code}{(code is not null && message is not null ? ": " : "")}{message})";
        if (sent.Credential is { } credential)
        {
            string verb = status == 401 ? "refused" : "did not allow";
            return new ArtifactAuthenticationException(reference, registry, status,
                $"{registry} {verb} {credential} for {operation} on {reference} (HTTP {status}{said}): the user name or password is wrong, " +
                $"or the account may not do this here. Log in again with `docker login {registry}` or `podman login {registry}`, " +
                "or correct OciRegistryOptions.Credential.");
        }
        if (_challenge is null && !sent.Anything && status == 401 && Parse(response) is null)
            return new ArtifactAuthenticationException(reference, registry, status,
                $"{registry} refused {operation} on {reference} (HTTP 401{said}) without saying how to authenticate (no WWW-Authenticate challenge)");
        return NoCredentials(reference, operation, status, said);
    }

    ArtifactAuthenticationException NoCredentials(string reference, string operation, int status, string said = "")
    {
        string where = options.Credential is not null ? "OciRegistryOptions.Credential"
            : string.Join(", ", Files());
        return new ArtifactAuthenticationException(reference, registry, status,
            $"{registry} requires credentials for {operation} on {reference} (HTTP {status}{said}) and none were found for it " +
            $"(looked in: {(where.Length == 0 ? "no credential files" : where)}). Log in with `docker login {registry}` or " +
            $"`podman login {registry}`, or set OciRegistryOptions.Credential.");
    }

    IReadOnlyList<string> Files() => options.AuthFiles ?? RegistryCredentialFiles.DefaultFiles(Environment.GetEnvironmentVariable);

    Task<RegistryCredential?> CredentialAsync(string reference, CancellationToken cancellationToken)
    {
        var pending = _credential;
        if (pending is null || pending.IsFaulted || pending.IsCanceled)
            _credential = pending = options.Credential is { } explicitCredential
                ? Task.FromResult<RegistryCredential?>(explicitCredential)
                : RegistryCredentialFiles.FindAsync(registry, Files(), options.CredentialHelperPath, reference, cancellationToken);
        return pending;
    }

    async Task<CachedToken> FetchTokenAsync(Challenge challenge, string scope, string key, string reference, CancellationToken cancellationToken)
    {
        if (challenge.Realm is null || !Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
            throw new ArtifactAuthenticationException(reference, registry, 401,
                $"{registry} asks for a Bearer token but names no usable token service (realm '{challenge.Realm}')");
        // The realm is the one other origin credentials may go to, and only in a form that cannot leak them in clear
        // text: HTTPS, or plain HTTP on the very host of a registry that is itself plain HTTP (loopback or marked insecure).
        bool plainAllowed = registryRoot.Scheme == "http" && string.Equals(realm.Host, registryRoot.Host, StringComparison.OrdinalIgnoreCase);
        if (realm.Scheme != "https" && !plainAllowed)
            throw new ArtifactAuthenticationException(reference, registry, 401,
                $"{registry} names its token service {realm.GetLeftPart(UriPartial.Path)} over plain HTTP; Arc sends credentials to a token " +
                "service only over HTTPS (or to the same host as a plain-HTTP registry)");
        var credential = await CredentialAsync(reference, cancellationToken).ConfigureAwait(false);
        var query = new StringBuilder();
        if (challenge.Service is not null) query.Append("service=").Append(Uri.EscapeDataString(challenge.Service));
        if (scope.Length > 0) query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(scope));
        HttpRequestMessage request;
        if (credential?.IdentityToken is { } refreshToken)
        {
            // Docker's OAuth2 form for identity tokens: a refresh_token grant POSTed to the realm.
            var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = "arc" };
            if (challenge.Service is not null) form["service"] = challenge.Service;
            if (scope.Length > 0) form["scope"] = scope;
            request = new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
        }
        else
        {
            var builder = new UriBuilder(realm) { Query = (realm.Query.TrimStart('?') + (realm.Query.Length > 1 && query.Length > 0 ? "&" : "") + query) };
            request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
            if (credential is { Password: not null }) request.Headers.Authorization = BasicHeader(credential);
        }
        using (request)
        using (var response = await sendRaw(request, "GET token", reference, cancellationToken).ConfigureAwait(false))
        {
            int status = (int)response.StatusCode;
            if (status is 401 or 403)
            {
                if (credential is null) throw NoCredentials(reference, $"a token for '{scope}'", status);
                throw new ArtifactAuthenticationException(reference, registry, status,
                    $"the token service of {registry} ({realm.GetLeftPart(UriPartial.Path)}) refused {credential} (HTTP {status}) for '{scope}': " +
                    $"the user name or password is wrong. Log in again with `docker login {registry}` or `podman login {registry}`, or correct OciRegistryOptions.Credential.");
            }
            if (!response.IsSuccessStatusCode)
                throw new ArtifactAuthenticationException(reference, registry, status,
                    $"the token service of {registry} ({realm.GetLeftPart(UriPartial.Path)}) answered HTTP {status} for '{scope}'");
            byte[] bytes;
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
                bytes = await VerifiedContent.ReadBoundedAsync(body, MaxTokenResponse, reference, "token answer", cancellationToken).ConfigureAwait(false);
            var token = ParseToken(bytes, credential, reference);
            _tokens[key] = token;
            return token;
        }
    }

    CachedToken ParseToken(byte[] bytes, RegistryCredential? credential, string reference)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            string? token = root.ValueKind == JsonValueKind.Object
                ? (root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
                  ?? (root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null)
                : null;
            if (string.IsNullOrEmpty(token)) throw new JsonException("no 'token' or 'access_token'");
            var lifetime = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds) : DefaultTokenLifetime;
            // Renew a little early so that a token does not expire between being attached and being checked.
            var margin = TimeSpan.FromSeconds(Math.Min(10, lifetime.TotalSeconds / 4));
            return new CachedToken(token, DateTimeOffset.UtcNow + lifetime - margin, credential);
        }
        catch (JsonException e)
        {
            throw new ArtifactAuthenticationException(reference, registry, null, $"the token service of {registry} answered with unusable JSON ({e.Message})", e);
        }
    }

    static string TokenKey(Challenge challenge, string? scope) => $"{challenge.Realm}\n{challenge.Service}\n{scope}";

    static AuthenticationHeaderValue BasicHeader(RegistryCredential credential)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

    static Challenge? Parse(HttpResponseMessage response)
    {
        foreach (var header in response.Headers.WwwAuthenticate)
        {
            string scheme = header.Scheme.ToLowerInvariant();
            if (scheme == "basic") return new Challenge("basic", null, null);
            if (scheme == "bearer")
            {
                var parameters = Parameters(header.Parameter);
                return new Challenge("bearer", parameters.GetValueOrDefault("realm"), parameters.GetValueOrDefault("service"));
            }
        }
        return null;
    }

    static string? ChallengeParameter(HttpResponseMessage response, string name)
        => response.Headers.WwwAuthenticate.Where(h => h.Scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase))
            .Select(h => Parameters(h.Parameter).GetValueOrDefault(name)).FirstOrDefault(v => v is not null);

    /// <summary>The <c>key="value"</c> pairs of an auth-param list (RFC 7235), quoted values may hold commas.</summary>
    internal static Dictionary<string, string> Parameters(string? list)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (list is null) return result;
        int i = 0;
        while (i < list.Length)
        {
            while (i < list.Length && (list[i] == ',' || list[i] == ' ')) i++;
            int equals = list.IndexOf('=', i);
            if (equals < 0) break;
            string key = list[i..equals].Trim();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < list.Length && list[i] == '"')
            {
                for (i++; i < list.Length && list[i] != '"'; i++)
                {
                    if (list[i] == '\\' && i + 1 < list.Length) i++;
                    value.Append(list[i]);
                }
                i++;
            }
            else
            {
                for (; i < list.Length && list[i] != ','; i++) value.Append(list[i]);
            }
            result[key] = value.ToString().Trim();
        }
        return result;
    }
}
