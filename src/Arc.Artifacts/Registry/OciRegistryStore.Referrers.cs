using System.Net;
using System.Net.Http.Headers;

namespace Arc.Artifacts;

// Referrers on a registry: the OCI 1.1 referrers API (GET /v2/<name>/referrers/<digest>) where the registry has it, else
// the referrers tag schema of the distribution spec (tag sha256-<hex> holding an image index), which is what
// distribution 2.8 (Debian's docker-registry) needs: it has no referrers API and answers its path with a plain 404.
// Kept apart from the store's core so that work on authentication and limits there merges without touching this.
public sealed partial class OciRegistryStore
{
    /// <inheritdoc/>
    public async Task<OciDigest> PushReferrerAsync(ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default)
    {
        var digest = OciDigest.Compute(manifest.Span);
        string name = Repository.WithDigest(digest).ToString();
        var referrer = OciReferrers.ParseReferrer(manifest.Span, name);
        var subject = referrer.Subject!;
        await PushManifestAsync(manifest, tag: null, cancellationToken).ConfigureAwait(false);
        // A registry with the referrers API indexes the subject itself (and a registry that has it must answer 200).
        if (await GetReferrersApiAsync(subject.Digest, null, cancellationToken).ConfigureAwait(false) is not null) return digest;

        // The tag schema is read-modify-write without a lock (distribution 2.8 has no conditional PUT): two signers of the
        // same manifest at the same moment can drop one entry. A verifier then misses that signature, never trusts a false one.
        string tag = OciReferrers.TagFor(subject.Digest);
        var existing = await GetReferrersIndexAsync(tag, cancellationToken).ConfigureAwait(false);
        var entry = OciReferrers.EntryFor(referrer, digest, manifest.Length);
        if (existing.Contains(entry)) return digest;
        var index = OciJson.WriteIndex(OciReferrers.Add(existing, entry, name));
        string indexName = Repository.WithTag(tag).ToString();
        using var response = await SendAsync(() =>
        {
            var body = new ByteArrayContent(index);
            body.Headers.ContentType = new MediaTypeHeaderValue(OciMediaTypes.ImageIndex);
            return new HttpRequestMessage(HttpMethod.Put, ManifestUri(tag)) { Content = body };
        }, "PUT referrers index", indexName, Access.Push, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
            throw await RegistryErrors.ReadAsync(response, "PUT referrers index", indexName, cancellationToken).ConfigureAwait(false);
        return digest;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(OciDigest subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        string tag = OciReferrers.TagFor(subject);
        var entries = await GetReferrersApiAsync(subject, artifactType, cancellationToken).ConfigureAwait(false)
                      ?? await GetReferrersIndexAsync(tag, cancellationToken).ConfigureAwait(false);
        return OciReferrers.Filter(entries, artifactType, Repository.WithTag(tag).ToString());
    }

    /// <summary>The referrers API's index for <paramref name="subject"/>, or null when the registry has no such API (404).</summary>
    async Task<IReadOnlyList<OciDescriptor>?> GetReferrersApiAsync(OciDigest subject, string? artifactType, CancellationToken cancellationToken)
    {
        string name = Repository.WithDigest(subject).ToString();
        var uri = new Uri(_repositoryRoot, "referrers/" + subject + (artifactType is null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType)));
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciMediaTypes.ImageIndex));
            return request;
        }, "GET referrers", name, Access.Pull, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode)
            throw await RegistryErrors.ReadAsync(response, "GET referrers", name, cancellationToken).ConfigureAwait(false);
        // Only the first page is read (pages are rare: a registry pages past hundreds of referrers); see docs/artifacts.md.
        return await ReadIndexBodyAsync(response, name, expectedDigest: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The image index the referrers tag <paramref name="tag"/> holds; empty when there is no such tag.</summary>
    async Task<IReadOnlyList<OciDescriptor>> GetReferrersIndexAsync(string tag, CancellationToken cancellationToken)
    {
        string name = Repository.WithTag(tag).ToString();
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, ManifestUri(tag));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciMediaTypes.ImageIndex));
            return request;
        }, "GET referrers index", name, Access.Pull, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var (code, _) = await RegistryErrors.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            if (code is null or "MANIFEST_UNKNOWN" or "NAME_UNKNOWN") return [];
            throw new ArtifactNotFoundException(name, $"{name}: the registry answered GET referrers index with HTTP 404 {code}");
        }
        if (!response.IsSuccessStatusCode)
            throw await RegistryErrors.ReadAsync(response, "GET referrers index", name, cancellationToken).ConfigureAwait(false);
        return await ReadIndexBodyAsync(response, name, HeaderDigest(response), cancellationToken).ConfigureAwait(false);
    }

    static async Task<IReadOnlyList<OciDescriptor>> ReadIndexBodyAsync(HttpResponseMessage response, string name, OciDigest? expectedDigest, CancellationToken cancellationToken)
    {
        string? contentType = response.Content.Headers.ContentType?.MediaType;
        if (contentType != OciMediaTypes.ImageIndex)
            throw new ArtifactFormatException(name, $"the registry served a '{contentType ?? "(no content type)"}', not an OCI image index ({OciMediaTypes.ImageIndex})");
        byte[] bytes;
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
            bytes = await VerifiedContent.ReadBoundedAsync(body, VerifiedContent.MaxManifestSize, name, "referrers index", cancellationToken).ConfigureAwait(false);
        var found = OciDigest.Compute(bytes);
        if (expectedDigest is not null && expectedDigest != found)
            throw new ArtifactIntegrityException(name, expectedDigest, bytes.Length, found, bytes.Length);
        return OciJson.ReadIndex(bytes, name);
    }
}
