using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Arc.Artifacts;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// The registry store against a <see cref="HostileRegistry"/>: every misbehaviour fails fast with an error that says
/// what happened, nothing reaches another origin, and nothing large is read or spilled to disk.
/// </summary>
public sealed class HostileRegistryTests
{
    private const string Repo = "arc/hostile";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("a small, honest blob");
    private static readonly OciDescriptor Honest = OciDescriptor.For("application/octet-stream", Content);

    private static OciRegistryStore Store(HostileRegistry registry, OciRegistryOptions? options = null)
        => new(ArtifactReference.ForRegistry(registry.Host, Repo), options ?? new OciRegistryOptions { PlainHttp = registry.Origin.StartsWith("http:") });

    private static bool Is(HttpContext context, string method, string path)
        => context.Request.Method == method && context.Request.Path.Value == path;

    private static string BlobPath(OciDescriptor descriptor) => $"/v2/{Repo}/blobs/{descriptor.Digest}";

    private static byte[] ManifestWithLayer(OciDescriptor layer)
        => new OciManifest(ArtifactTestData.ArtifactType, OciDescriptor.Empty, [layer]).ToJson();

    private static async Task<bool> ServeManifest(HttpContext context, byte[] manifest)
    {
        context.Response.ContentType = OciMediaTypes.ImageManifest;
        await context.Response.Body.WriteAsync(manifest);
        return true;
    }

    [Fact]
    public async Task A_blob_declared_larger_than_MaxBlobSize_is_refused_before_any_request()
    {
        await using var registry = await HostileRegistry.StartAsync();
        var huge = new OciDescriptor("application/octet-stream", Honest.Digest, 1L << 40, new Dictionary<string, string> { [OciAnnotations.Title] = "weights.bin" });
        var manifest = ManifestWithLayer(huge);
        registry.Handler = context => Is(context, "GET", $"/v2/{Repo}/manifests/v1") ? ServeManifest(context, manifest) : Task.FromResult(false);
        using var store = Store(registry);

        // The manifest itself is fine: a 1 TiB layer is a valid declaration; downloading it is what is refused.
        var pulled = await store.PullManifestAsync("v1", Ct);
        var error = await Assert.ThrowsAsync<ArtifactFormatException>(() => store.OpenBlobAsync(pulled.Manifest.Layers[0], Ct));

        Assert.Contains($"{1L << 40} bytes", error.Message);
        Assert.Contains("MaxBlobSize", error.Message);
        Assert.Contains($"{OciRegistryOptions.DefaultMaxBlobSize}", error.Message);
        Assert.Equal(0, registry.CountRequests(BlobPath(huge)));
    }

    [Fact]
    public async Task MaxBlobSize_is_an_option_and_holds_for_a_smaller_cap()
    {
        await using var registry = await HostileRegistry.StartAsync();
        using var store = Store(registry, new OciRegistryOptions { MaxBlobSize = 10 });

        var error = await Assert.ThrowsAsync<ArtifactFormatException>(() => store.OpenBlobAsync(Honest, Ct));

        Assert.Contains("more than the 10 bytes allowed", error.Message);
        Assert.Equal(0, registry.CountRequests(BlobPath(Honest)));
    }

    [Fact]
    public async Task A_Content_Length_larger_than_declared_is_refused_before_reading_the_body()
    {
        await using var registry = await HostileRegistry.StartAsync();
        registry.Handler = async context =>
        {
            if (!Is(context, "GET", BlobPath(Honest))) return false;
            context.Response.ContentLength = 50L << 30;
            await context.Response.Body.WriteAsync(new byte[64 * 1024], context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
            return true;
        };
        using var store = Store(registry);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => store.OpenBlobAsync(Honest, Ct));

        Assert.Contains($"announced {50L << 30} bytes; nothing was read", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Endless_tag_pages_stop_at_MaxTagListBytes()
    {
        await using var registry = await HostileRegistry.StartAsync();
        // Each page is about 1 MiB of tags and links to one more page, forever.
        string tags = string.Join(",", Enumerable.Range(0, 1024 * 1024 / 16).Select(i => $"\"tag-{i:D10}\""));
        int served = 0;
        registry.Handler = async context =>
        {
            if (!Is(context, "GET", $"/v2/{Repo}/tags/list")) return false;
            int page = Interlocked.Increment(ref served);
            context.Response.Headers.Link = $"</v2/{Repo}/tags/list?n=1000&last=page{page}>; rel=\"next\"";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($"{{\"name\":\"{Repo}\",\"tags\":[{tags}]}}", context.RequestAborted);
            return true;
        };
        using var store = Store(registry);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ArtifactFormatException>(() => store.ListTagsAsync(Ct));

        Assert.Contains($"larger than {OciRegistryOptions.DefaultMaxTagListBytes} bytes", error.Message);
        Assert.Contains("MaxTagListBytes", error.Message);
        // 16 MiB of 1 MiB pages: the 16th page crosses the cap, nothing after it is asked for.
        Assert.InRange(served, 15, 17);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        TestContext.Current.SendDiagnosticMessage($"endless tag pages refused after {served} pages in {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Tag_pages_that_loop_are_refused()
    {
        await using var registry = await HostileRegistry.StartAsync();
        registry.Handler = async context =>
        {
            if (!Is(context, "GET", $"/v2/{Repo}/tags/list")) return false;
            context.Response.Headers.Link = $"</v2/{Repo}/tags/list?n=1000>; rel=\"next\"";
            await context.Response.WriteAsync($"{{\"name\":\"{Repo}\",\"tags\":[\"a\"]}}", context.RequestAborted);
            return true;
        };
        using var store = Store(registry);

        var error = await Assert.ThrowsAsync<ArtifactFormatException>(() => store.ListTagsAsync(Ct));

        Assert.Contains("loop back", error.Message);
        Assert.Equal(1, registry.CountRequests($"/v2/{Repo}/tags/list"));
    }

    [Fact]
    public async Task A_tag_page_Link_to_another_origin_is_refused_and_never_fetched()
    {
        await using var registry = await HostileRegistry.StartAsync();
        await using var elsewhere = await HostileRegistry.StartAsync();
        registry.Handler = async context =>
        {
            if (!Is(context, "GET", $"/v2/{Repo}/tags/list")) return false;
            context.Response.Headers.Link = $"<{elsewhere.Origin}/v2/{Repo}/tags/list?last=a>; rel=\"next\"";
            await context.Response.WriteAsync($"{{\"name\":\"{Repo}\",\"tags\":[\"a\"]}}", context.RequestAborted);
            return true;
        };
        using var store = Store(registry);

        var error = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.ListTagsAsync(Ct));

        Assert.Contains($"points to {elsewhere.Origin}, outside the registry's origin {registry.Origin}", error.Message);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task An_upload_Location_on_another_origin_is_refused_and_the_blob_is_not_sent_there()
    {
        await using var registry = await HostileRegistry.StartAsync();
        await using var elsewhere = await HostileRegistry.StartAsync();
        registry.Handler = context =>
        {
            if (!Is(context, "POST", $"/v2/{Repo}/blobs/uploads/")) return Task.FromResult(false);
            context.Response.StatusCode = 202;
            context.Response.Headers.Location = $"{elsewhere.Origin}/v2/{Repo}/blobs/uploads/steal";
            return Task.FromResult(true);
        };
        using var store = Store(registry);

        var error = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.PushBlobAsync(Honest, new MemoryStream(Content), Ct));

        Assert.Contains($"sent the upload to {elsewhere.Origin}, outside its origin {registry.Origin}", error.Message);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_redirect_within_the_origin_is_followed()
    {
        await using var registry = await HostileRegistry.StartAsync();
        var manifest = ManifestWithLayer(Honest);
        registry.Handler = context =>
        {
            if (Is(context, "GET", $"/v2/{Repo}/manifests/v1"))
            {
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = $"/v2/{Repo}/manifests/moved";
                return Task.FromResult(true);
            }
            return Is(context, "GET", $"/v2/{Repo}/manifests/moved") ? ServeManifest(context, manifest) : Task.FromResult(false);
        };
        using var store = Store(registry);

        var pulled = await store.PullManifestAsync("v1", Ct);

        Assert.Equal(OciDigest.Compute(manifest), pulled.Digest);
    }

    [Fact]
    public async Task A_manifest_redirect_to_another_origin_is_refused_and_never_fetched()
    {
        await using var registry = await HostileRegistry.StartAsync();
        await using var elsewhere = await HostileRegistry.StartAsync();
        registry.Handler = context =>
        {
            if (!Is(context, "GET", $"/v2/{Repo}/manifests/v1")) return Task.FromResult(false);
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = $"{elsewhere.Origin}/v2/{Repo}/manifests/v1";
            return Task.FromResult(true);
        };
        using var store = Store(registry);

        var error = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.PullManifestAsync("v1", Ct));

        Assert.Contains($"redirected to {elsewhere.Origin}, outside its origin {registry.Origin}", error.Message);
        Assert.Equal(302, error.StatusCode);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_blob_redirect_to_a_plain_HTTP_storage_host_is_refused()
    {
        await using var registry = await HostileRegistry.StartAsync();
        await using var storage = await HostileRegistry.StartAsync();
        registry.Handler = context =>
        {
            if (!Is(context, "GET", BlobPath(Honest))) return Task.FromResult(false);
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = $"{storage.Origin}/bucket/blob?signature=x";
            return Task.FromResult(true);
        };
        using var store = Store(registry);

        var error = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.OpenBlobAsync(Honest, Ct));

        Assert.Contains($"redirected the blob to {storage.Origin} over plain HTTP", error.Message);
        Assert.Empty(storage.Requests);
    }

    [Fact]
    public async Task A_blob_redirect_to_an_HTTPS_storage_host_is_followed_without_the_credentials()
    {
        using var authority = new TestCertificateAuthority();
        using var registryCertificate = authority.IssueServerCertificate();
        using var storageCertificate = authority.IssueServerCertificate();
        await using var registry = await HostileRegistry.StartAsync(registryCertificate);
        await using var storage = await HostileRegistry.StartAsync(storageCertificate);
        string basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret"));
        registry.Handler = context =>
        {
            // A registry with Basic auth, as in production: it hands the blob out from a storage host.
            if (context.Request.Headers.Authorization.ToString() != basic)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"hostile\"";
                return Task.FromResult(true);
            }
            if (!Is(context, "GET", BlobPath(Honest))) return Task.FromResult(false);
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = $"{storage.Origin}/bucket/blob?signature=x";
            return Task.FromResult(true);
        };
        storage.Handler = async context =>
        {
            await context.Response.Body.WriteAsync(Content);
            return true;
        };
        using var store = Store(registry, new OciRegistryOptions
        {
            PlainHttp = false,
            TrustedCertificateAuthorities = [authority.Certificate],
            Credential = RegistryCredential.FromPassword("alice", "s3cret"),
            AuthFiles = [],
        });

        await using var blob = await store.OpenBlobAsync(Honest, Ct);
        var copy = new MemoryStream();
        await blob.CopyToAsync(copy, Ct);

        Assert.Equal(Content, copy.ToArray());
        var fetched = Assert.Single(storage.Requests);
        Assert.Equal("/bucket/blob?signature=x", fetched.PathAndQuery);
        Assert.Null(fetched.Authorization);
        Assert.Contains(registry.Requests, r => r.PathAndQuery == BlobPath(Honest) && r.Authorization == basic);
    }

    [Fact]
    public async Task A_redirect_from_HTTPS_to_plain_HTTP_is_refused_even_for_a_blob()
    {
        using var authority = new TestCertificateAuthority();
        using var certificate = authority.IssueServerCertificate();
        await using var registry = await HostileRegistry.StartAsync(certificate);
        await using var plain = await HostileRegistry.StartAsync();
        var manifest = ManifestWithLayer(Honest);
        registry.Handler = context =>
        {
            bool blob = Is(context, "GET", BlobPath(Honest));
            if (!blob && !Is(context, "GET", $"/v2/{Repo}/manifests/v1")) return Task.FromResult(false);
            context.Response.StatusCode = 301;
            context.Response.Headers.Location = $"{plain.Origin}{context.Request.Path}";
            return Task.FromResult(true);
        };
        using var store = Store(registry, new OciRegistryOptions { PlainHttp = false, TrustedCertificateAuthorities = [authority.Certificate] });

        var manifestError = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.PullManifestAsync("v1", Ct));
        var blobError = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.OpenBlobAsync(Honest, Ct));

        Assert.Contains("from HTTPS to plain HTTP", manifestError.Message);
        Assert.Contains("from HTTPS to plain HTTP", blobError.Message);
        Assert.Empty(plain.Requests);
    }

    [Fact]
    public async Task Credentials_are_not_sent_to_a_plain_HTTP_token_service_of_an_HTTPS_registry()
    {
        using var authority = new TestCertificateAuthority();
        using var certificate = authority.IssueServerCertificate();
        await using var registry = await HostileRegistry.StartAsync(certificate);
        await using var collector = await HostileRegistry.StartAsync();
        registry.Handler = context =>
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{collector.Origin}/token\",service=\"hostile\"";
            return Task.FromResult(true);
        };
        using var store = Store(registry, new OciRegistryOptions
        {
            PlainHttp = false,
            TrustedCertificateAuthorities = [authority.Certificate],
            Credential = RegistryCredential.FromPassword("alice", "s3cret"),
        });

        var error = await Assert.ThrowsAsync<ArtifactAuthenticationException>(() => store.ResolveAsync("v1", Ct));

        Assert.Contains($"names its token service {collector.Origin}/token over plain HTTP", error.Message);
        Assert.Empty(collector.Requests);
    }

    [Fact]
    public async Task A_body_that_stalls_fails_after_the_idle_timeout()
    {
        await using var registry = await HostileRegistry.StartAsync();
        registry.Handler = async context =>
        {
            if (!Is(context, "GET", BlobPath(Honest))) return false;
            context.Response.ContentLength = Honest.Size;
            await context.Response.Body.WriteAsync(Content.AsMemory(0, 5), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
            return true;
        };
        using var store = Store(registry, new OciRegistryOptions { IdleReadTimeout = TimeSpan.FromSeconds(1) });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.OpenBlobAsync(Honest, Ct));

        Assert.Contains("sent no bytes for 1 s", error.Message);
        Assert.Contains("IdleReadTimeout", error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        TestContext.Current.SendDiagnosticMessage($"stalled body refused after {clock.ElapsedMilliseconds} ms (idle timeout 1 s)");
    }

    [Fact]
    public async Task An_answer_that_never_starts_fails_after_the_idle_timeout()
    {
        await using var registry = await HostileRegistry.StartAsync();
        registry.Handler = async context =>
        {
            if (!Is(context, "GET", $"/v2/{Repo}/manifests/v1")) return false;
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
            return true;
        };
        using var store = Store(registry, new OciRegistryOptions { IdleReadTimeout = TimeSpan.FromSeconds(1) });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.PullManifestAsync("v1", Ct));

        Assert.Contains("did not answer within 1 s (OciRegistryOptions.IdleReadTimeout)", error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_body_that_trickles_fails_at_the_request_time_limit()
    {
        await using var registry = await HostileRegistry.StartAsync();
        var slow = OciDescriptor.For("application/octet-stream", new byte[1000]);
        registry.Handler = async context =>
        {
            if (!Is(context, "GET", BlobPath(slow))) return false;
            context.Response.ContentLength = slow.Size;
            // One byte every 200 ms: never idle for the 1 s idle timeout, but 1000 bytes would take over 3 minutes.
            for (int i = 0; i < slow.Size; i++)
            {
                await context.Response.Body.WriteAsync(new byte[1], context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(200, context.RequestAborted);
            }
            return true;
        };
        using var store = Store(registry, new OciRegistryOptions { IdleReadTimeout = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromSeconds(3) });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.OpenBlobAsync(slow, Ct));

        Assert.Contains("did not finish answering within the request time limit (OciRegistryOptions.RequestTimeout)", error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(8));
    }
}
