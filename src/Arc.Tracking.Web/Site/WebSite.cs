using Arc.Tracking.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Arc.Tracking.Web;

/// <summary>The routes of the web UI, the token check in front of them and the error pages behind them.</summary>
internal sealed class WebSite(IMetadataStore store, IBlobStore? blobs, TrackingWebOptions options)
{
    private readonly TokenCookie _tokens = new(options.Tokens);

    public IMetadataStore Store { get; } = store;

    public IBlobStore? Blobs { get; } = blobs;

    public TrackingWebOptions Options { get; } = options;

    public void Map(WebApplication app)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        app.Use(async (context, next) =>
        {
            // Live pages run until the browser leaves: the server's stop ends them too.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            context.RequestAborted = linked.Token;
            await next(context).ConfigureAwait(false);
        });
        app.MapGet("/assets/{name}", StaticAssets.ServeAsync);
        app.MapGet("/token", Guarded(context => TokenPage.FormAsync(context, _tokens)));
        app.MapPost("/token", Guarded(context => TokenPage.SignInAsync(context, _tokens)));
        app.MapPost("/token/clear", Guarded(TokenPage.SignOutAsync));

        Get(app, "/", NamespacesPage.RenderAsync);
        Get(app, "/namespaces/{ns}", ExperimentsPage.RenderAsync);
        Get(app, "/namespaces/{ns}/models", ModelsPage.RenderAsync);
        Get(app, "/experiments/{id}", ExperimentPage.RenderAsync);
        Get(app, "/experiments/{id}/charts", ExperimentPage.ChartsAsync);
        Get(app, "/experiments/{id}/live", LiveStreams.ExperimentAsync);
        Get(app, "/experiments/{id}/files/{**name}", FileDownload.ExperimentFileAsync);
        Post(app, "/experiments/{id}/pictures", PicturesAction.DrawAsync);
        Get(app, "/compare", ComparePage.RenderAsync);
        Get(app, "/models/{id}", ModelPage.RenderAsync);
        Post(app, "/models/{id}/labels", LabelActions.ModelAsync);
        Get(app, "/versions/{id}", ModelPage.VersionAsync);
        Post(app, "/versions/{id}/labels", LabelActions.VersionAsync);
        Get(app, "/events", EventsPage.RenderAsync);
        Get(app, "/events/live", LiveStreams.EventsAsync);
    }

    /// <summary>A route open to every caller (the token form) that still refuses other sites' posts and foreign host names.</summary>
    private RequestDelegate Guarded(RequestDelegate handler) => async context =>
    {
        if (await RefusedAsync(context).ConfigureAwait(false)) return;
        await handler(context).ConfigureAwait(false);
    };

    private async Task<bool> RefusedAsync(HttpContext context)
    {
        if (RequestOrigin.Refusal(context, !_tokens.HasTokens) is not { } refusal) return false;
        await Layout.WriteAsync(context, null, "Not allowed", $"<p role=\"alert\">{Html.E(refusal)}</p>", StatusCodes.Status403Forbidden).ConfigureAwait(false);
        return true;
    }

    private void Get(WebApplication app, string pattern, Func<PageRequest, Task> page) => app.MapGet(pattern, Handler(page));

    private void Post(WebApplication app, string pattern, Func<PageRequest, Task> action) => app.MapPost(pattern, Handler(action));

    /// <summary>
    /// A page behind the token check (no valid cookie: to the token form) and the error pages: a bad request, an unknown
    /// id or a refused namespace gets its page and status, and the server keeps serving.
    /// </summary>
    private RequestDelegate Handler(Func<PageRequest, Task> page) => async context =>
    {
        if (await RefusedAsync(context).ConfigureAwait(false)) return;
        var caller = _tokens.CallerOf(context);
        if (caller is null)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = "/token?next=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString);
            return;
        }
        var request = new PageRequest(context, caller, this);
        (int Status, string Title, string Message)? failure = null;
        try
        {
            await page(request).ConfigureAwait(false);
        }
        catch (TrackingNotFoundException e) { failure = (404, "Not found", e.Message); }
        catch (WebForbiddenException e) { failure = (403, "Not allowed", e.Message); }
        catch (TrackingAlreadyExistsException e) { failure = (409, "Already exists", e.Message); }
        catch (Exception e) when (e is ArgumentException or FormatException or TrackingInvalidArgumentException or BadHttpRequestException)
        {
            failure = (400, "Bad request", e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the browser left or the server stops
        }
        if (failure is { } f && !context.Response.HasStarted)
            await request.PageAsync(f.Title, $"<p role=\"alert\">{Html.E(f.Message)}</p><p><a href=\"/\">Back to the namespaces</a></p>", f.Status).ConfigureAwait(false);
    };
}
