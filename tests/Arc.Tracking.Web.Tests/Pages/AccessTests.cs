using System.Net;
using Arc.Tracking.Web.Tests.Support;
using Xunit;

namespace Arc.Tracking.Web.Tests.Pages;

/// <summary>The token form, the cookie and what each token may see and do, over plain HTTP.</summary>
public sealed class AccessTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_token_every_page_sends_to_the_token_form_which_sets_the_cookie()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        using var anonymous = new PageClient(site, null);
        using var away = await anonymous.GetAsync("/namespaces/vision?sort=name", Cancel);
        Assert.Equal(HttpStatusCode.SeeOther, away.StatusCode);
        Assert.Equal("/token?next=%2Fnamespaces%2Fvision%3Fsort%3Dname", away.Headers.Location!.OriginalString);

        using var wrong = await anonymous.PostAsync("/token", [new("token", "not-a-token-at-all-here"), new("next", "/")], Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("That is not one of this server&#x27;s tokens.", await wrong.Content.ReadAsStringAsync(Cancel));

        using var signedIn = await anonymous.PostAsync("/token", [new("token", TrackedSite.ReaderSecret), new("next", "/namespaces/vision")], Cancel);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/namespaces/vision", signedIn.Headers.Location!.OriginalString);
        string cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"arc_token={TrackedSite.ReaderSecret};", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        // Another site's address is never where the form sends the browser.
        using var offsite = await anonymous.PostAsync("/token", [new("token", TrackedSite.ReaderSecret), new("next", "//evil.example/")], Cancel);
        Assert.Equal("/", offsite.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_read_only_token_sees_no_write_control_and_its_posts_are_refused()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        var model = await site.Store.CreateModelAsync(new RegisteredModelDraft("vision", "classifier", "ada@example.com"), Cancel);
        var version = await site.Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id) { ArtifactReference = "registry.local/vision/classifier:1" }, Cancel);
        await site.Store.SetLabelAsync(LabelTarget.ModelVersion(version.Id), "stage", "candidate", Cancel);
        var experiment = await Runs.TrainedAsync(site.Store, "vision", "mlp", 10, cancellationToken: Cancel);

        using var reader = new PageClient(site, TrackedSite.ReaderSecret);
        using var writer = new PageClient(site, TrackedSite.WriterSecret);
        foreach (string path in new[] { $"/models/{model.Id}", $"/experiments/{experiment.Id}" })
        {
            string asReader = await reader.PageAsync(path, Cancel);
            string asWriter = await writer.PageAsync(path, Cancel);
            Assert.DoesNotContain("method=\"post\"", asReader);
            Assert.Contains("method=\"post\"", asWriter);
        }
        Assert.Contains("stage", await reader.PageAsync($"/models/{model.Id}", Cancel));

        using var refused = await reader.PostAsync($"/versions/{version.Id}/labels", [new("key", "stage"), new("remove", "1")], Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("candidate", (await site.Store.GetModelVersionAsync(version.Id, Cancel)).Labels["stage"]);

        using var added = await writer.PostAsync($"/versions/{version.Id}/labels", [new("key", "approved"), new("value", "yes")], Cancel);
        Assert.Equal(HttpStatusCode.SeeOther, added.StatusCode);
        Assert.Equal($"/models/{model.Id}#v1", added.Headers.Location!.OriginalString);
        using var removed = await writer.PostAsync($"/versions/{version.Id}/labels", [new("key", "stage"), new("remove", "1")], Cancel);
        Assert.Equal(HttpStatusCode.SeeOther, removed.StatusCode);
        var labels = (await site.Store.GetModelVersionAsync(version.Id, Cancel)).Labels;
        Assert.Equal(new Dictionary<string, string> { ["approved"] = "yes" }, labels);
    }

    [Fact]
    public async Task Bad_requests_get_their_status_and_the_server_keeps_serving()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        using var writer = new PageClient(site, TrackedSite.WriterSecret);
        using (var unknown = await writer.GetAsync("/experiments/nosuchexperiment", Cancel))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var malformed = await writer.GetAsync("/namespaces/Not%20A%20Namespace", Cancel))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Contains("role=\"alert\"", await malformed.Content.ReadAsStringAsync(Cancel));
        }
        using (var one = await writer.GetAsync("/compare?id=abc", Cancel))
            Assert.Equal(HttpStatusCode.BadRequest, one.StatusCode);
        var model = await site.Store.CreateModelAsync(new RegisteredModelDraft("vision", "classifier", "ada@example.com"), Cancel);
        using (var badLabel = await writer.PostAsync($"/models/{model.Id}/labels", [new("key", "no spaces allowed"), new("value", "x")], Cancel))
            Assert.Equal(HttpStatusCode.BadRequest, badLabel.StatusCode);
        Assert.Empty((await site.Store.GetModelAsync(model.Id, Cancel)).Labels);
        Assert.Contains("Namespaces", await writer.PageAsync("/", Cancel));
    }

    [Fact]
    public async Task A_token_that_opens_one_namespace_sees_only_that_one()
    {
        const string secret = "vision-secret-0123456789";
        var visionOnly = new Arc.Tracking.Server.TrackingToken("vision-only", secret,
            new Dictionary<string, Arc.Tracking.Server.TrackingAccess> { ["vision"] = Arc.Tracking.Server.TrackingAccess.Read });
        await using var site = await TrackedSite.StartAsync(tokens: [visionOnly], cancellationToken: Cancel);
        var seen = await Runs.TrainedAsync(site.Store, "vision", "mlp", 5, cancellationToken: Cancel);
        var hidden = await Runs.TrainedAsync(site.Store, "payroll", "forecast", 5, cancellationToken: Cancel);
        using var client = new PageClient(site, secret);
        string namespaces = await client.PageAsync("/", Cancel);
        Assert.Contains("/namespaces/vision", namespaces);
        Assert.DoesNotContain("payroll", namespaces);
        Assert.Contains("mlp", await client.PageAsync($"/experiments/{seen.Id}", Cancel));
        foreach (string path in new[] { $"/experiments/{hidden.Id}", "/namespaces/payroll", $"/compare?id={seen.Id}&id={hidden.Id}" })
        {
            using var refused = await client.GetAsync(path, Cancel);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        Assert.DoesNotContain("payroll", await client.PageAsync("/events", Cancel));
    }

    [Fact]
    public async Task Another_sites_post_and_a_foreign_host_name_are_refused()
    {
        await using var site = await TrackedSite.StartAsync(withTokens: false, cancellationToken: Cancel);
        var model = await site.Store.CreateModelAsync(new RegisteredModelDraft("vision", "classifier", "ada@example.com"), Cancel);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = site.Address };

        // A form on another site's page posting to this open server (no cookie needed): refused, nothing stored.
        using var forged = new HttpRequestMessage(HttpMethod.Post, $"/models/{model.Id}/labels")
        {
            Content = new FormUrlEncodedContent([new("key", "stage"), new("value", "hacked")]),
        };
        forged.Headers.Add("Origin", "http://evil.example");
        forged.Headers.Add("Sec-Fetch-Site", "cross-site");
        using (var refused = await http.SendAsync(forged, Cancel))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Empty((await site.Store.GetModelAsync(model.Id, Cancel)).Labels);

        // A hostile name rebound to 127.0.0.1 does not reach an open server's pages.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/");
        rebound.Headers.Host = "evil.example";
        using (var refused = await http.SendAsync(rebound, Cancel))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // The same post from the server's own page is taken.
        using var own = new HttpRequestMessage(HttpMethod.Post, $"/models/{model.Id}/labels")
        {
            Content = new FormUrlEncodedContent([new("key", "stage"), new("value", "candidate")]),
        };
        own.Headers.Add("Origin", site.Address.GetLeftPart(UriPartial.Authority));
        own.Headers.Add("Sec-Fetch-Site", "same-origin");
        using (var taken = await http.SendAsync(own, Cancel))
            Assert.Equal(HttpStatusCode.SeeOther, taken.StatusCode);
        Assert.Equal("candidate", (await site.Store.GetModelAsync(model.Id, Cancel)).Labels["stage"]);
    }
}
