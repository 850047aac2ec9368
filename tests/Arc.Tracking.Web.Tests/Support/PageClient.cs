using System.Net;

namespace Arc.Tracking.Web.Tests.Support;

/// <summary>An HTTP client of the pages holding a token cookie, redirects not followed (tests check where they go).</summary>
internal sealed class PageClient : IDisposable
{
    private readonly HttpClient _http;

    public PageClient(TrackedSite site, string? secret)
    {
        var cookies = new CookieContainer();
        if (secret is not null) cookies.Add(site.Address, new Cookie("arc_token", secret));
        _http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = site.Address };
    }

    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken) => _http.GetAsync(path, cancellationToken);

    /// <summary>A response whose body is read as it comes (server-sent events).</summary>
    public Task<HttpResponseMessage> StreamAsync(string path, CancellationToken cancellationToken)
        => _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    public async Task<string> PageAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK) throw new HttpRequestException($"GET {path}: {(int)response.StatusCode}\n{body}");
        return body;
    }

    public Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
        => _http.PostAsync(path, new FormUrlEncodedContent(form), cancellationToken);

    public void Dispose() => _http.Dispose();
}
