using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Arc.Remote.Artifacts;

/// <summary>
/// A repository of a registry speaking the OCI distribution API, as an artifact store: blobs are pushed with
/// POST then PUT (or PATCH chunks for large blobs) unless a HEAD finds them already there, manifests are PUT by
/// tag, and every manifest and blob read is verified against its digest and size before it is returned.
/// Plain HTTP is used only for loopback registries or ones marked insecure (<see cref="OciRegistryOptions.PlainHttp"/>).
/// Anonymous access only, for now.
/// </summary>
public sealed partial class OciRegistryStore : IArtifactStore
{
    const int MaxTagListBody = 4 * 1024 * 1024;
    const int MaxTagPages = 10_000;
    const string DigestHeader = "Docker-Content-Digest";

    readonly OciRegistryOptions _options;
    readonly HttpClient _http;
    readonly bool _ownsHttp;
    readonly Uri _registryRoot;
    readonly Uri _repositoryRoot;
    Task? _ping;

    /// <summary>
    /// A store for <paramref name="repository"/>'s repository (its tag or digest, if any, is ignored).
    /// <paramref name="httpClient"/> is used as given (not disposed) when passed; otherwise the store owns one.
    /// </summary>
    public OciRegistryStore(ArtifactReference repository, OciRegistryOptions? options = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (repository.Kind != ArtifactStoreKind.Registry)
            throw new ArgumentException($"'{repository}' is not a registry reference; use OciLayoutStore for oci-layout: references", nameof(repository));
        _options = options ?? new OciRegistryOptions();
        if (_options.ChunkSize <= 0) throw new ArgumentException("ChunkSize must be positive", nameof(options));
        if (_options.TagPageSize <= 0) throw new ArgumentException("TagPageSize must be positive", nameof(options));
        Repository = repository.RepositoryOnly;
        bool plain = _options.PlainHttp ?? ArtifactReferenceGrammar.IsLoopback(repository.Registry!);
        _registryRoot = new Uri($"{(plain ? "http" : "https")}://{repository.Registry}/");
        _repositoryRoot = new Uri(_registryRoot, $"v2/{repository.Repository}/");
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = _options.RequestTimeout };
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
            HttpCompletionOption.ResponseContentRead, cancellationToken, ping: false).ConfigureAwait(false);
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
            HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
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
                   HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false))
        {
            if (start.StatusCode != HttpStatusCode.Accepted)
                throw await RegistryErrors.ReadAsync(start, "POST blob upload", name, cancellationToken).ConfigureAwait(false);
            location = UploadLocation(start, name);
        }

        HttpContent finalBody;
        if (descriptor.Size <= _options.MonolithicUploadLimit)
        {
            // One request; the registry checks the digest (DIGEST_INVALID otherwise) before it keeps anything.
            finalBody = new StreamContent(new LengthLimitedStream(content, descriptor.Size, name));
        }
        else
        {
            location = await UploadChunksAsync(location, descriptor, content, name, cancellationToken).ConfigureAwait(false);
            finalBody = new ByteArrayContent([]);
        }
        finalBody.Headers.ContentType = new MediaTypeHeaderValue(OciMediaTypes.OctetStream);
        finalBody.Headers.ContentLength = descriptor.Size <= _options.MonolithicUploadLimit ? descriptor.Size : 0;
        var finish = WithQuery(location, "digest=" + Uri.EscapeDataString(descriptor.Digest.ToString()));
        using var request = new HttpRequestMessage(HttpMethod.Put, finish) { Content = finalBody };
        using var done = await SendOnceAsync(request, "PUT blob", name, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
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
            var chunk = new ByteArrayContent(buffer, 0, filled);
            chunk.Headers.ContentType = new MediaTypeHeaderValue(OciMediaTypes.OctetStream);
            chunk.Headers.ContentLength = filled;
            using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = chunk };
            // The distribution spec's Content-Range is "<start>-<end>" (inclusive), without the "bytes " unit.
            request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{sent}-{sent + filled - 1}");
            using var response = await SendOnceAsync(request, "PATCH blob chunk", name, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
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
        }, "PUT manifest", name, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
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
        }, "GET manifest", name, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await RegistryErrors.ReadAsync(response, "GET manifest", name, cancellationToken).ConfigureAwait(false);
        string? contentType = response.Content.Headers.ContentType?.MediaType;
        if (contentType != OciMediaTypes.ImageManifest)
            throw new ArtifactFormatException(name, $"the registry served a '{contentType ?? "(no content type)"}', not an OCI image manifest ({OciMediaTypes.ImageManifest})");
        byte[] bytes;
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            bytes = await VerifiedContent.ReadBoundedAsync(body, VerifiedContent.MaxManifestSize, name, "manifest", cancellationToken).ConfigureAwait(false);
        var found = OciDigest.Compute(bytes);
        // By digest the address is the check; by tag the registry's own digest header is (the tag file points at it).
        var expected = pinned ?? HeaderDigest(response);
        if (expected is not null && expected != found)
            throw new ArtifactIntegrityException(name, expected, bytes.Length, found, bytes.Length);
        return new PulledManifest(Repository.WithDigest(found), found, bytes, OciManifest.Parse(bytes, name));
    }

    /// <inheritdoc/>
    public async Task<Stream> OpenBlobAsync(OciDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        string name = Repository.WithDigest(descriptor.Digest).ToString();
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, BlobUri(descriptor.Digest)), "GET blob", name,
            HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await RegistryErrors.ReadAsync(response, "GET blob", name, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength is { } length && length != descriptor.Size)
            throw new ArtifactIntegrityException(name, descriptor.Digest, descriptor.Size, null, length,
                $"the registry announced {length} bytes; nothing was read");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await VerifiedContent.BufferAsync(body, descriptor, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken = default)
    {
        string name = Repository.ToString();
        var tags = new List<string>();
        Uri? page = new(_repositoryRoot, $"tags/list?n={_options.TagPageSize}");
        for (int pages = 0; page is not null; pages++)
        {
            if (pages == MaxTagPages) throw new ArtifactFormatException(name, $"the tag list goes on past {MaxTagPages} pages; refused");
            var current = page;
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, current), "GET tags/list", name,
                HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && pages == 0)
            {
                var (code, _) = await RegistryErrors.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                if (code is "NAME_UNKNOWN") return [];
                throw new ArtifactNotFoundException(name, $"{name}: the registry has no tags endpoint for it (HTTP 404{(code is null ? "" : " " + code)})");
            }
            if (!response.IsSuccessStatusCode)
                throw await RegistryErrors.ReadAsync(response, "GET tags/list", name, cancellationToken).ConfigureAwait(false);
            byte[] bytes;
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
                bytes = await VerifiedContent.ReadBoundedAsync(body, MaxTagListBody, name, "tag list", cancellationToken).ConfigureAwait(false);
            tags.AddRange(ReadTags(bytes, name));
            page = NextPage(response);
        }
        return tags.Distinct().Order(StringComparer.Ordinal).ToList();
    }

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

    Uri? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links)
        {
            int open = link.IndexOf('<'), close = link.IndexOf('>');
            if (open < 0 || close < open || !link[close..].Contains("rel=\"next\"", StringComparison.Ordinal)) continue;
            return new Uri(_registryRoot, link[(open + 1)..close]);
        }
        return null;
    }

    Uri BlobUri(OciDigest digest) => new(_repositoryRoot, "blobs/" + digest);

    Uri ManifestUri(string tagOrDigest) => new(_repositoryRoot, "manifests/" + tagOrDigest);

    Uri UploadLocation(HttpResponseMessage response, string name)
        => response.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(_registryRoot, location)
            : throw new ArtifactRegistryException(name, "blob upload", (int)response.StatusCode, null, "the registry gave no Location for the upload");

    static Uri WithQuery(Uri uri, string parameter)
    {
        var builder = new UriBuilder(uri);
        builder.Query = string.IsNullOrEmpty(builder.Query) ? parameter : builder.Query.TrimStart('?') + "&" + parameter;
        return builder.Uri;
    }

    static OciDigest? HeaderDigest(HttpResponseMessage response)
        => response.Headers.TryGetValues(DigestHeader, out var values) && OciDigest.TryParse(values.FirstOrDefault(), out var digest, out _) ? digest : null;

    async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> makeRequest, string operation, string reference, HttpCompletionOption completion,
        CancellationToken cancellationToken, bool ping = true)
    {
        if (ping) await PingOnceAsync(cancellationToken).ConfigureAwait(false);
        using var request = makeRequest();
        return await SendOnceAsync(request, operation, reference, completion, cancellationToken).ConfigureAwait(false);
    }

    async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, string operation, string reference, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            // The inner exception says what actually broke (refused connection, TLS, a short upload source).
            string detail = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            throw new ArtifactRegistryException(reference, operation, null, null, $"the registry at {_registryRoot} could not be reached or the transfer broke off: {detail}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ArtifactRegistryException(reference, operation, null, null, $"the registry at {_registryRoot} did not answer within {_http.Timeout.TotalSeconds:0} s", e);
        }
    }

    /// <summary>Disposes the HTTP client the store created (not one passed in).</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
