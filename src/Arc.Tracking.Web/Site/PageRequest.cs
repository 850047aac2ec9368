using Arc.Tracking.Server;
using Microsoft.AspNetCore.Http;

namespace Arc.Tracking.Web;

/// <summary>One request to a page: what it asks, who asks, and the stores to answer from.</summary>
internal sealed class PageRequest(HttpContext context, WebCaller caller, WebSite site)
{
    public HttpContext Context { get; } = context;

    public WebCaller Caller { get; } = caller;

    public IMetadataStore Store => site.Store;

    public IBlobStore? Blobs => site.Blobs;

    public TrackingWebOptions Options => site.Options;

    /// <summary>Ends when the browser goes away or the server stops (live pages would otherwise hold the stop up).</summary>
    public CancellationToken Aborted => Context.RequestAborted;

    public string Route(string name) => (string)Context.Request.RouteValues[name]!;

    public string? Query(string name) => Context.Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    public Task PageAsync(string title, string body, int status = StatusCodes.Status200OK) => Layout.WriteAsync(Context, Caller, title, body, status);

    /// <summary>Refuses a namespace the caller's token does not open (403), so pages never show what the gRPC API would refuse.</summary>
    public void RequireRead(string @namespace)
    {
        if (!Caller.CanRead(@namespace)) throw new WebForbiddenException($"your token does not open namespace '{@namespace}'");
    }

    public void RequireWrite(string @namespace)
    {
        if (!Caller.CanWrite(@namespace)) throw new WebForbiddenException($"your token only reads namespace '{@namespace}'");
    }

    /// <summary>Back to a page after a form (303: the browser follows with a GET, and reloading does not post again).</summary>
    public void SeeOther(string location)
    {
        Context.Response.StatusCode = StatusCodes.Status303SeeOther;
        Context.Response.Headers.Location = location;
    }
}

/// <summary>The caller's token does not allow what the request asks (403).</summary>
internal sealed class WebForbiddenException(string message) : Exception(message);
