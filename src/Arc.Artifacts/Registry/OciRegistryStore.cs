using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Arc.Artifacts;

/// <summary>
/// A repository of a registry speaking the OCI distribution API, as an artifact store: blobs are pushed with
/// POST then PUT (or PATCH chunks for large blobs) unless a HEAD finds them already there, manifests are PUT by
/// tag, and every manifest and blob read is verified against its digest and size before it is returned.
/// Plain HTTP is used only for loopback registries or ones marked insecure (<see cref="OciRegistryOptions.PlainHttp"/>).
/// </summary>
/// <remarks>
/// <para>Credentials are found as <c>docker</c> and <c>podman</c> find them (see <see cref="OciRegistryOptions.AuthFiles"/>)
/// or given in <see cref="OciRegistryOptions.Credential"/>; Basic auth and the distribution token flow are spoken.</para>
/// <para>A registry is not trusted to be well-behaved: blob sizes are capped (<see cref="OciRegistryOptions.MaxBlobSize"/>)
/// before anything is read, tag listings are capped in total (<see cref="OciRegistryOptions.MaxTagListBytes"/>), a stalled
/// answer fails after <see cref="OciRegistryOptions.IdleReadTimeout"/>, and the store follows redirects itself: only
/// for reads, only within the registry's origin (scheme, host and port), except that a blob download may go to
/// another host over HTTPS (registries hand blobs out from storage hosts) without the Authorization header; HTTPS to
/// HTTP never. Pagination <c>Link</c>s and upload <c>Location</c>s that leave the origin are refused.</para>
/// </remarks>
public sealed partial class OciRegistryStore : IArtifactStore
{
    const int MaxTagPages = 10_000;
    const int MaxRedirects = 5;
    const string DigestHeader = "Docker-Content-Digest";

    readonly OciRegistryOptions _options;
    readonly HttpClient _http;
    readonly bool _ownsHttp;
    readonly Uri _registryRoot;
    readonly Uri _repositoryRoot;
    readonly RegistryAuthenticator _auth;
    Task? _ping;

    enum Access { None, Pull, Push }

    /// <summary>
    /// A store for <paramref name="repository"/>'s repository (its tag or digest, if any, is ignored).
    /// <paramref name="httpClient"/> is used as given (not disposed) when passed; it must not follow redirects itself
    /// (<c>AllowAutoRedirect = false</c>), or the store cannot apply its redirect policy, and
    /// <see cref="OciRegistryOptions.TrustedCertificateAuthorities"/> does not apply to it. Otherwise the store owns one.
    /// </summary>
    public OciRegistryStore(ArtifactReference repository, OciRegistryOptions? options = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (repository.Kind != ArtifactStoreKind.Registry)
            throw new ArgumentException($"'{repository}' is not a registry reference; use OciLayoutStore for oci-layout: references", nameof(repository));
        _options = options ?? new OciRegistryOptions();
        if (_options.ChunkSize <= 0) throw new ArgumentException("ChunkSize must be positive", nameof(options));
        if (_options.TagPageSize <= 0) throw new ArgumentException("TagPageSize must be positive", nameof(options));
        if (_options.MaxBlobSize <= 0) throw new ArgumentException("MaxBlobSize must be positive", nameof(options));
        if (_options.MaxTagListBytes <= 0) throw new ArgumentException("MaxTagListBytes must be positive", nameof(options));
        if (_options.IdleReadTimeout <= TimeSpan.Zero) throw new ArgumentException("IdleReadTimeout must be positive", nameof(options));
        Repository = repository.RepositoryOnly;
        bool plain = _options.PlainHttp ?? ArtifactReferenceGrammar.IsLoopback(repository.Registry!);
        _registryRoot = new Uri($"{(plain ? "http" : "https")}://{repository.Registry}/");
        _repositoryRoot = new Uri(_registryRoot, $"v2/{repository.Repository}/");
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient(CreateHandler(_options)) { Timeout = _options.RequestTimeout };
        _auth = new RegistryAuthenticator(repository.Registry!, _registryRoot, _options, SendRawAsync);
    }

    static SocketsHttpHandler CreateHandler(OciRegistryOptions options)
    {
        // Redirects are followed by SendAsync under the store's policy; the handler must never follow one on its own
        // (it would carry the request across origins). No cookies: a registry gets nothing it did not ask for per request.
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), AllowAutoRedirect = false, UseCookies = false };
        if (options.TrustedCertificateAuthorities is { Count: > 0 } authorities)
        {
            var trusted = authorities.ToList();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => IsTrusted(certificate, chain, errors, trusted);
        }
        return handler;
    }

    /// <summary>
    /// The system's verdict, or else the chain rebuilt against the extra authorities alone. Only an untrusted root is
    /// forgiven this way: a name mismatch or a missing certificate stays fatal.
    /// </summary>
    static bool IsTrusted(X509Certificate? certificate, X509Chain? systemChain, SslPolicyErrors errors, IReadOnlyList<X509Certificate2> authorities)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities.ToArray());
        if (systemChain is not null)
            foreach (var element in systemChain.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <inheritdoc/>
    public ArtifactReference Repository { get; }

    /// <summary>The registry's base address (<c>http(s)://host[:port]/</c>).</summary>
    public Uri RegistryUri => _registryRoot;

    /// <summary>Checks that the registry answers <c>GET /v2/</c> as an OCI distribution registry.</summary>
    public Task PingAsync(CancellationToken cancellationToken = default) => PingOnceAsync(cancellationToken);

    Task PingOnceAsync(CancellationToken cancellationToken)
    {
        var ping = _ping;
        if (ping is null || ping.IsFaulted || ping.IsCanceled) _ping = ping = PingCoreAsync(cancellationToken);
        return ping;
    }

    async Task PingCoreAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_registryRoot, "v2/")), "GET /v2/", Repository.ToString(),
            Access.None, cancellationToken, ping: false, authenticate: false).ConfigureAwait(false);
        // A 401 is a registry asking for authentication: its challenge says how, and every later request answers it.
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            _auth.Learn(response);
            return;
        }
        if (!response.IsSuccessStatusCode)
            throw await RegistryErrors.ReadAsync(response, "GET /v2/ (is this an OCI registry?)", Repository.ToString(), cancellationToken,
                notFoundIsMissingContent: false).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> HasBlobAsync(OciDigest digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        string name = Repository.WithDigest(digest).ToString();
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, BlobUri(digest)), "HEAD blob", name,
            Access.Pull, cancellationToken, storageRedirects: true).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        if (response.IsSuccessStatusCode) return true;
        throw await RegistryErrors.ReadAsync(response, "HEAD blob", name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task PushBlobAsync(OciDescriptor descriptor, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(content);
        string name = Repository.WithDigest(descriptor.Digest).ToString();
        Uri location;
        using (var start = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(_repositoryRoot, "blobs/uploads/")), "POST blob upload", name,
                   Access.Push, cancellationToken).ConfigureAwait(false))
        {
            if (start.StatusCode != HttpStatusCode.Accepted)
                throw await RegistryErrors.ReadAsync(start, "POST blob upload", name, cancellationToken).ConfigureAwait(false);
            location = UploadLocation(start, name);
        }

        bool monolithic = descriptor.Size <= _options.MonolithicUploadLimit;
        if (!monolithic) location = await UploadChunksAsync(location, descriptor, content, name, cancellationToken).ConfigureAwait(false);
        var finish = WithQuery(location, "digest=" + Uri.EscapeDataString(descriptor.Digest.ToString()));
        // The one body that cannot always be sent twice: a retry after an authentication challenge rewinds it when it can.
        long origin = monolithic && content.CanSeek ? content.Position : -1;
        int attempts = 0;
        using var done = await SendAsync(() =>
        {
            if (attempts++ > 0 && origin >= 0) content.Position = origin;
            // One request; the registry checks the digest (DIGEST_INVALID otherwise) before it keeps anything.
            HttpContent body = monolithic ? new StreamContent(new LengthLimitedStream(content, descriptor.Size, name)) : new ByteArrayContent([]);
            body.Headers.ContentType = new MediaTypeHeaderValue(OciMediaTypes.OctetStream);
            body.Headers.ContentLength = monolithic ? descriptor.Size : 0;
            return new HttpRequestMessage(HttpMethod.Put, finish) { Content = body };
        }, "PUT blob", name, Access.Push, cancellationToken, replayable: !monolithic || origin >= 0).ConfigureAwait(false);
        if (done.StatusCode != HttpStatusCode.Created)
            throw await RegistryErrors.ReadAsync(done, "PUT blob", name, cancellationToken).ConfigureAwait(false);
    }

    async Task<Uri> UploadChunksAsync(Uri location, OciDescriptor descriptor, Stream content, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(_options.ChunkSize, descriptor.Size)];
        long sent = 0;
        while (sent < descriptor.Size)
        {
            int want = (int)Math.Min(buffer.Length, descriptor.Size - sent);
            int filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled < want)
                throw new ArgumentException($"the content for {name} ended after {sent + filled} bytes; its descriptor says {descriptor.Size}", nameof(content));
            var target = location;
            long first = sent;
            using var response = await SendAsync(() =>
            {
                var chunk = new ByteArrayContent(buffer, 0, filled);
                chunk.Headers.ContentType = new MediaTypeHeaderValue(OciMediaTypes.OctetStream);
                chunk.Headers.ContentLength = filled;
                // The distribution spec's Content-Range is "<start>-<end>" (inclusive), without the "bytes " unit.
                chunk.Headers.TryAddWithoutValidation("Content-Range", $"{first}-{first + filled - 1}");
                return new HttpRequestMessage(HttpMethod.Patch, target) { Content = chunk };
            }, "PATCH blob chunk", name, Access.Push, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw await RegistryErrors.ReadAsync(response, "PATCH blob chunk", name, cancellationToken).ConfigureAwait(false);
            location = UploadLocation(response, name);
            sent += filled;
        }
        return location;
    }

    /// <inheritdoc/>
    public async Task<OciDigest> PushManifestAsync(ReadOnlyMemory<byte> manifest, string? tag, CancellationToken cancellationToken = default)
    {
        if (tag is not null && ArtifactReferenceGrammar.CheckTag(tag) is { } tagError) throw new ArgumentException(tagError, nameof(tag));
        if (manifest.Length > VerifiedContent.MaxManifestSize)
            throw new ArgumentException($"the manifest is {manifest.Length} bytes; registries accept at most {VerifiedContent.MaxManifestSize}", nameof(manifest));
        var digest = OciDigest.Compute(manifest.Span);
        string name = tag is null ? Repository.WithDigest(digest).ToString() : Repository.WithTag(tag).ToString();
        OciManifest.Parse(manifest.Span, name);
        var bytes = manifest.ToArray();
        using var response = await SendAsync(() =>
        {
            var body = new ByteArrayContent(bytes);
            body.Headers.ContentType = new MediaTypeHeaderValue(OciMediaTypes.ImageManifest);
            return new HttpRequestMessage(HttpMethod.Put, ManifestUri(tag ?? digest.ToString())) { Content = body };
        }, "PUT manifest", name, Access.Push, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
            throw await RegistryErrors.ReadAsync(response, "PUT manifest", name, cancellationToken).ConfigureAwait(false);
        if (HeaderDigest(response) is { } stored && stored != digest)
            throw new ArtifactIntegrityException(name, digest, bytes.Length, stored, bytes.Length, "the registry stored the manifest under another digest");
        return digest;
    }

    /// <inheritdoc/>
    public async Task<OciDigest> ResolveAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (ArtifactReferenceGrammar.CheckTag(tag) is { } tagError) throw new ArgumentException(tagError, nameof(tag));
        // A GET rather than a HEAD: the digest returned is one we computed, not one we were told.
        return (await PullManifestAsync(tag, cancellationToken).ConfigureAwait(false)).Digest;
    }

    /// <inheritdoc/>
    public async Task<PulledManifest> PullManifestAsync(string tagOrDigest, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tagOrDigest);
        OciDigest? pinned = null;
        string name;
        if (tagOrDigest.Contains(':'))
        {
            pinned = OciDigest.Parse(tagOrDigest);
            name = Repository.WithDigest(pinned).ToString();
        }
        else
        {
            if (ArtifactReferenceGrammar.CheckTag(tagOrDigest) is { } tagError) throw new ArgumentException(tagError, nameof(tagOrDigest));
            name = Repository.WithTag(tagOrDigest).ToString();
        }
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, ManifestUri(tagOrDigest));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciMediaTypes.ImageManifest));
            return request;
        }, "GET manifest", name, Access.Pull, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await RegistryErrors.ReadAsync(response, "GET manifest", name, cancellationToken).ConfigureAwait(false);
        string? contentType = response.Content.Headers.ContentType?.MediaType;
        if (contentType != OciMediaTypes.ImageManifest)
            throw new ArtifactFormatException(name, $"the registry served a '{contentType ?? "(no content type)"}', not an OCI image manifest ({OciMediaTypes.ImageManifest})");
        if (response.Content.Headers.ContentLength is > VerifiedContent.MaxManifestSize and var announced)
            throw new ArtifactFormatException(name, $"the registry announced a {announced}-byte manifest; manifests are at most {VerifiedContent.MaxManifestSize} bytes; refused");
        byte[] bytes;
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
            bytes = await VerifiedContent.ReadBoundedAsync(body, VerifiedContent.MaxManifestSize, name, "manifest", cancellationToken).ConfigureAwait(false);
        var found = OciDigest.Compute(bytes);
        // By digest the address is the check; by tag the registry's own digest header is (the tag file points at it).
        var expected = pinned ?? HeaderDigest(response);
        if (expected is not null && expected != found)
            throw new ArtifactIntegrityException(name, expected, bytes.Length, found, bytes.Length);
        return new PulledManifest(Repository.WithDigest(found), found, bytes, OciManifest.Parse(bytes, name));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A descriptor declaring more than <see cref="OciRegistryOptions.MaxBlobSize"/> is refused before any request, and
    /// an answer whose <c>Content-Length</c> differs from the declared size before any byte is read.
    /// </remarks>
    public async Task<Stream> OpenBlobAsync(OciDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        string name = Repository.WithDigest(descriptor.Digest).ToString();
        if (descriptor.Size > _options.MaxBlobSize)
            throw new ArtifactFormatException(name,
                $"the blob is declared as {descriptor.Size} bytes, more than the {_options.MaxBlobSize} bytes allowed (OciRegistryOptions.MaxBlobSize); nothing was downloaded");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, BlobUri(descriptor.Digest)), "GET blob", name,
            Access.Pull, cancellationToken, storageRedirects: true).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await RegistryErrors.ReadAsync(response, "GET blob", name, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength is { } length && length != descriptor.Size)
            throw new ArtifactIntegrityException(name, descriptor.Digest, descriptor.Size, null, length,
                $"the registry announced {length} bytes; nothing was read");
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var bodyDisposal = body.ConfigureAwait(false);
        return await VerifiedContent.BufferAsync(body, descriptor, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>All pages together may hold at most <see cref="OciRegistryOptions.MaxTagListBytes"/>; every page must come from the registry's origin.</remarks>
    public async Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken = default)
    {
        string name = Repository.ToString();
        var tags = new List<string>();
        var seen = new HashSet<Uri>();
        long budget = _options.MaxTagListBytes;
        Uri? page = new(_repositoryRoot, $"tags/list?n={_options.TagPageSize}");
        for (int pages = 0; page is not null; pages++)
        {
            if (pages == MaxTagPages) throw new ArtifactFormatException(name, $"the tag list goes on past {MaxTagPages} pages; refused");
            if (!seen.Add(page)) throw new ArtifactFormatException(name, $"the tag list's pages loop back to {page}; refused");
            var current = page;
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, current), "GET tags/list", name,
                Access.Pull, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && pages == 0)
            {
                var (code, _) = await RegistryErrors.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                if (code is "NAME_UNKNOWN") return [];
                throw new ArtifactNotFoundException(name, $"{name}: the registry has no tags endpoint for it (HTTP 404{(code is null ? "" : " " + code)})");
            }
            if (!response.IsSuccessStatusCode)
                throw await RegistryErrors.ReadAsync(response, "GET tags/list", name, cancellationToken).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength is { } announced && announced > budget)
                throw TagListTooLarge(name, pages + 1);
            byte[] bytes;
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                try
                {
                    bytes = await VerifiedContent.ReadBoundedAsync(body, (int)Math.Min(budget, int.MaxValue), name, "tag list", cancellationToken).ConfigureAwait(false);
                }
                catch (ArtifactFormatException)
                {
                    throw TagListTooLarge(name, pages + 1);
                }
            }
            budget -= bytes.Length;
            tags.AddRange(ReadTags(bytes, name));
            page = NextPage(response, name);
        }
        return tags.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    ArtifactFormatException TagListTooLarge(string name, int pages)
        => new(name, $"the tag list is larger than {_options.MaxTagListBytes} bytes over {pages} page(s) (OciRegistryOptions.MaxTagListBytes); refused");

    static IEnumerable<string> ReadTags(byte[] json, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ArtifactFormatException(name, "the tag list is not a JSON object");
            if (!document.RootElement.TryGetProperty("tags", out var tags) || tags.ValueKind == JsonValueKind.Null) return [];
            if (tags.ValueKind != JsonValueKind.Array) throw new ArtifactFormatException(name, "the tag list's 'tags' is not an array");
            return tags.EnumerateArray()
                .Select(tag => tag.ValueKind == JsonValueKind.String ? tag.GetString()! : throw new ArtifactFormatException(name, "the tag list holds a non-string"))
                .ToList();
        }
        catch (JsonException e)
        {
            throw new ArtifactFormatException(name, $"the tag list is not valid JSON: {e.Message}", e);
        }
    }

    Uri? NextPage(HttpResponseMessage response, string name)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links)
        {
            int open = link.IndexOf('<'), close = link.IndexOf('>');
            if (open < 0 || close < open || !link[close..].Contains("rel=\"next\"", StringComparison.Ordinal)) continue;
            if (!Uri.TryCreate(_registryRoot, link[(open + 1)..close], out var next))
                throw new ArtifactFormatException(name, $"the tag list's next-page Link '{link}' is not a URL");
            return SameOrigin(next, _registryRoot) ? next
                : throw new ArtifactRegistryException(name, "GET tags/list", (int)response.StatusCode, null,
                    $"the next page's Link points to {Origin(next)}, outside the registry's origin {Origin(_registryRoot)}; refused");
        }
        return null;
    }

    Uri BlobUri(OciDigest digest) => new(_repositoryRoot, "blobs/" + digest);

    Uri ManifestUri(string tagOrDigest) => new(_repositoryRoot, "manifests/" + tagOrDigest);

    Uri UploadLocation(HttpResponseMessage response, string name)
    {
        if (response.Headers.Location is not { } location)
            throw new ArtifactRegistryException(name, "blob upload", (int)response.StatusCode, null, "the registry gave no Location for the upload");
        var target = location.IsAbsoluteUri ? location : new Uri(_registryRoot, location);
        // The upload carries the credentials and the content: it may only continue at the registry itself.
        return SameOrigin(target, _registryRoot) ? target
            : throw new ArtifactRegistryException(name, "blob upload", (int)response.StatusCode, null,
                $"the registry sent the upload to {Origin(target)}, outside its origin {Origin(_registryRoot)}; refused");
    }

    static Uri WithQuery(Uri uri, string parameter)
    {
        var builder = new UriBuilder(uri);
        builder.Query = string.IsNullOrEmpty(builder.Query) ? parameter : builder.Query.TrimStart('?') + "&" + parameter;
        return builder.Uri;
    }

    static OciDigest? HeaderDigest(HttpResponseMessage response)
        => response.Headers.TryGetValues(DigestHeader, out var values) && OciDigest.TryParse(values.FirstOrDefault(), out var digest, out _) ? digest : null;

    static bool SameOrigin(Uri a, Uri b)
        => a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);

    static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// Sends a request to the registry: pings first, authenticates (answering one challenge by retrying once, when the
    /// request can be built again), and follows redirects by the store's policy (see the class remarks). The answer's
    /// body reads under the idle timeout.
    /// </summary>
    async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> makeRequest, string operation, string reference, Access access,
        CancellationToken cancellationToken, bool ping = true, bool authenticate = true, bool replayable = true, bool storageRedirects = false)
    {
        if (ping) await PingOnceAsync(cancellationToken).ConfigureAwait(false);
        string? scope = access switch
        {
            Access.Pull => $"repository:{Repository.Repository}:pull",
            Access.Push => $"repository:{Repository.Repository}:pull,push",
            _ => null,
        };
        bool challenged = false;
        Uri? redirected = null;
        for (int hops = 0; ; )
        {
            using var request = makeRequest();
            if (redirected is not null) request.RequestUri = redirected;
            var uri = request.RequestUri!;
            // Credentials go to the registry's own origin only, never to a host a redirect named.
            bool home = SameOrigin(uri, _registryRoot);
            var sent = home && authenticate ? await _auth.AuthorizeAsync(request, scope, reference, cancellationToken).ConfigureAwait(false) : default;
            var response = await SendRawAsync(request, operation, reference, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && home && authenticate)
            {
                using (response)
                {
                    if (response.StatusCode == HttpStatusCode.Unauthorized && !challenged && replayable
                        && await _auth.ChallengedAsync(response, sent, scope, reference, operation, cancellationToken).ConfigureAwait(false))
                    {
                        challenged = true;
                        continue;
                    }
                    throw await _auth.RefusedAsync(response, sent, reference, operation, cancellationToken).ConfigureAwait(false);
                }
            }
            if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308)
            {
                using (response) redirected = RedirectTarget(response, uri, request.Method, storageRedirects, operation, reference, ++hops);
                continue;
            }
            return response;
        }
    }

    Uri RedirectTarget(HttpResponseMessage response, Uri from, HttpMethod method, bool storageRedirects, string operation, string reference, int hops)
    {
        Uri Refuse(string why) => throw new ArtifactRegistryException(reference, operation, (int)response.StatusCode, null, why);
        if (hops > MaxRedirects) Refuse($"the registry redirected more than {MaxRedirects} times; gave up");
        if (response.Headers.Location is null) Refuse("the registry redirected without a Location");
        var target = new Uri(from, response.Headers.Location!);
        if (target.Scheme is not ("http" or "https")) Refuse($"the registry redirected to a '{target.Scheme}:' address; refused");
        if (from.Scheme == "https" && target.Scheme == "http")
            Refuse($"the registry redirected from HTTPS to plain HTTP ({Origin(target)}); refused, a redirect never downgrades the connection");
        if (method != HttpMethod.Get && method != HttpMethod.Head)
            Refuse($"the registry redirected a {method} to {Origin(target)}; only reads are redirected");
        if (SameOrigin(target, _registryRoot)) return target;
        // Registries hand blobs out from storage hosts (S3, a CDN) through signed URLs: a blob read may leave the origin,
        // over HTTPS only and without credentials (SendAsync sends them to the registry's origin alone).
        if (storageRedirects && target.Scheme == "https") return target;
        return Refuse(storageRedirects
            ? $"the registry redirected the blob to {Origin(target)} over plain HTTP; a blob may be fetched from another host over HTTPS only"
            : $"the registry redirected to {Origin(target)}, outside its origin {Origin(_registryRoot)}; refused");
    }

    /// <summary>One HTTP exchange with the store's timeouts: reads must start answering within the idle timeout, and every body reads under it.</summary>
    async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, string operation, string reference, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.RequestTimeout;
        bool read = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
        using var answerTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (read) answerTimer.CancelAfter(_options.IdleReadTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, answerTimer.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            // The inner exception says what actually broke (refused connection, TLS, a short upload source).
            string detail = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            throw new ArtifactRegistryException(reference, operation, null, null, $"the registry at {Origin(request.RequestUri!)}/ could not be reached or the transfer broke off: {detail}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            string limit = read && answerTimer.IsCancellationRequested
                ? $"within {_options.IdleReadTimeout.TotalSeconds:0.#} s (OciRegistryOptions.IdleReadTimeout)"
                : $"within {_http.Timeout.TotalSeconds:0} s (OciRegistryOptions.RequestTimeout)";
            throw new ArtifactRegistryException(reference, operation, null, null, $"the registry at {Origin(request.RequestUri!)}/ did not answer {limit}", e);
        }
        var original = response.Content;
        var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var guarded = new StreamContent(new IdleTimeoutStream(stream, original, _options.IdleReadTimeout, deadline, reference, operation, new Uri(Origin(request.RequestUri!))));
        foreach (var header in original.Headers) guarded.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = guarded;
        return response;
    }

    /// <summary>Disposes the HTTP client the store created (not one passed in).</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
