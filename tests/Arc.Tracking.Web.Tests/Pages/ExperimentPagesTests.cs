using System.Globalization;
using System.Text.RegularExpressions;
using Arc.Tracking.Web.Tests.Support;
using Xunit;

namespace Arc.Tracking.Web.Tests.Pages;

/// <summary>The experiment table, page and pictures over plain HTTP (the browser tests check what a person sees).</summary>
public sealed partial class ExperimentPagesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_100000_point_series_is_drawn_from_at_most_2000_points_with_its_last_value()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        var experiment = await Runs.TrainedAsync(site.Store, "vision", "long", 100_000, cancellationToken: Cancel);
        using var client = new PageClient(site, TrackedSite.ReaderSecret);
        string page = await client.PageAsync($"/experiments/{experiment.Id}", Cancel);
        var line = SeriesLine().Match(page);
        Assert.True(line.Success, page[..Math.Min(page.Length, 4000)]);
        Assert.Equal("100000", line.Groups["logged"].Value);
        int drawn = int.Parse(line.Groups["drawn"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(drawn, 1_000, 2_000);
        Assert.Equal(drawn, line.Groups["points"].Value.Split(' ').Length);
        Assert.Equal(Runs.Loss(99_999, 0), double.Parse(line.Groups["last"].Value, CultureInfo.InvariantCulture));
        Assert.True(page.Length < 1_000_000, $"the page weighs {page.Length} bytes");
    }

    [Fact]
    public async Task The_table_sorts_by_the_best_value_of_the_chosen_metric_and_filters()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        // Lowest loss: offset 0.1 → best 1/20 + 0.1; offset 0 → 1/20; offset 0.5 → 0.55.
        await Runs.TrainedAsync(site.Store, "vision", "middle", 20, 0.1, cancellationToken: Cancel);
        await Runs.TrainedAsync(site.Store, "vision", "best", 20, 0, cancellationToken: Cancel);
        var worst = await Runs.TrainedAsync(site.Store, "vision", "worst", 20, 0.5, ExperimentStatus.Failed, Cancel);
        // A diverged step logs NaN: it is no one's best value, lowest or highest.
        await site.Store.LogMetricsAsync(new MetricBatch(worst.Id, [new MetricPoint("loss", 20, DateTimeOffset.UtcNow, double.NaN)]), Cancel);
        await site.Store.CreateExperimentAsync(new ExperimentDraft("vision", "nothing-logged", "bob@example.com"), Cancel);
        using var client = new PageClient(site, TrackedSite.ReaderSecret);

        string ascending = await client.PageAsync("/namespaces/vision?metric=loss&best=min&sort=best&dir=asc", Cancel);
        Assert.Equal(["best", "middle", "worst", "nothing-logged"], Names(ascending));
        Assert.Contains($"<td class=\"best\">{Runs.Loss(19, 0).ToString("R", CultureInfo.InvariantCulture)}</td>", ascending);
        string descending = await client.PageAsync("/namespaces/vision?metric=loss&best=min&sort=best&dir=desc", Cancel);
        Assert.Equal(["worst", "middle", "best", "nothing-logged"], Names(descending));
        // Highest loss instead: each run's first point, 1 + offset.
        string highest = await client.PageAsync("/namespaces/vision?metric=loss&best=max&sort=best&dir=desc", Cancel);
        Assert.Contains($"<td class=\"best\">{1.5.ToString("R", CultureInfo.InvariantCulture)}</td>", highest);

        Assert.Equal(["worst"], Names(await client.PageAsync("/namespaces/vision?status=Failed", Cancel)));
        Assert.Equal(["nothing-logged"], Names(await client.PageAsync("/namespaces/vision?q=bob", Cancel)));
        Assert.Equal(["best", "middle", "nothing-logged", "worst"], Names(await client.PageAsync("/namespaces/vision?sort=name&dir=asc", Cancel)));
    }

    [Fact]
    public async Task The_evaluation_shows_the_per_class_table_and_the_confusion_matrix()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        var experiment = await Runs.TrainedAsync(site.Store, "vision", "evaluated", 10, cancellationToken: Cancel);
        await Runs.EvaluatedAsync(site.Store, experiment.Id, new long[,] { { 5, 1 }, { 2, 7 } }, Cancel);
        using var client = new PageClient(site, TrackedSite.ReaderSecret);
        string page = await client.PageAsync($"/experiments/{experiment.Id}", Cancel);
        Assert.Contains("<td>accuracy</td><td>0.75</td>", page);
        Assert.Contains("<td>c1</td><td>0.5</td><td>0.5</td><td>0.5</td><td>10</td>", page);
        var cells = Cell().Matches(page).Select(m => (m.Groups["t"].Value, m.Groups["p"].Value, m.Groups["count"].Value)).ToArray();
        Assert.Equal([("0", "0", "5"), ("0", "1", "1"), ("1", "0", "2"), ("1", "1", "7")], cells);
        // The evaluation's points are not drawn as training curves.
        Assert.DoesNotContain("data-key=\"eval/", page);
    }

    [Fact]
    public async Task Drawing_pictures_attaches_pngs_of_the_curves_and_confusion_matrix_linked_from_the_page()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        var experiment = await Runs.TrainedAsync(site.Store, "vision", "pictured", 50, cancellationToken: Cancel);
        await Runs.EvaluatedAsync(site.Store, experiment.Id, new long[,] { { 5, 1 }, { 2, 7 } }, Cancel);
        using var writer = new PageClient(site, TrackedSite.WriterSecret);
        using (var drawn = await writer.PostAsync($"/experiments/{experiment.Id}/pictures", [], Cancel))
            Assert.Equal(System.Net.HttpStatusCode.SeeOther, drawn.StatusCode);
        var files = (await site.Store.ListFilesAsync(FileOwner.Experiment(experiment.Id), Cancel)).Select(f => f.File.Name).ToArray();
        Assert.Equal(["pictures/loss@49.png", "pictures/test-confusion@100.png"], files);

        string page = await writer.PageAsync($"/experiments/{experiment.Id}", Cancel);
        foreach (string name in files)
        {
            string href = $"/experiments/{experiment.Id}/files/{string.Join('/', name.Split('/').Select(Uri.EscapeDataString))}";
            Assert.Contains($"<img class=\"picture\" src=\"{href}\"", page);
            using var png = await writer.GetAsync(href, Cancel);
            Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
            byte[] bytes = await png.Content.ReadAsByteArrayAsync(Cancel);
            // Kept with the screenshots, for a person to look at.
            Directory.CreateDirectory(Chromium.ScreenshotFolder);
            await File.WriteAllBytesAsync(Path.Combine(Chromium.ScreenshotFolder, "picture-" + Path.GetFileName(name).Replace('@', '-')), bytes, Cancel);
            using var image = SkiaSharp.SKBitmap.Decode(bytes);
            Assert.NotNull(image);
            Assert.Equal(800, image.Width);
        }
        // Drawing again with nothing new adds nothing; more training adds the new curve.
        using (await writer.PostAsync($"/experiments/{experiment.Id}/pictures", [], Cancel)) { }
        Assert.Equal(2, (await site.Store.ListFilesAsync(FileOwner.Experiment(experiment.Id), Cancel)).Count);
        await Runs.LogLossAsync(site.Store, experiment.Id, 50, 10, 0, Cancel);
        using (await writer.PostAsync($"/experiments/{experiment.Id}/pictures", [], Cancel)) { }
        Assert.Contains("pictures/loss@59.png", (await site.Store.ListFilesAsync(FileOwner.Experiment(experiment.Id), Cancel)).Select(f => f.File.Name));
    }

    [Fact]
    public async Task An_experiment_that_ends_gets_its_pictures_without_the_button()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        var experiment = await Runs.TrainedAsync(site.Store, "vision", "ending", 30, status: ExperimentStatus.Running, cancellationToken: Cancel);
        await Runs.EvaluatedAsync(site.Store, experiment.Id, new long[,] { { 5, 1 }, { 2, 7 } }, Cancel);
        var owner = FileOwner.Experiment(experiment.Id);
        await Task.Delay(500, Cancel); // several polls: a running experiment is not drawn
        Assert.Empty(await site.Store.ListFilesAsync(owner, Cancel));

        await site.Store.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Finished, cancellationToken: Cancel);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string[] names = [];
        while (names.Length < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Cancel);
            names = (await site.Store.ListFilesAsync(owner, Cancel)).Select(f => f.File.Name).ToArray();
        }
        Assert.Equal(["pictures/loss@29.png", "pictures/test-confusion@100.png"], names);
    }

    [Fact]
    public async Task The_event_feed_streams_new_events_as_they_happen()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        using var client = new PageClient(site, TrackedSite.ReaderSecret);
        using var response = await client.StreamAsync("/events/live?after=0", Cancel);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var stream = await response.Content.ReadAsStreamAsync(Cancel);
        using var reader = new StreamReader(stream);
        var experiment = await site.Store.CreateExperimentAsync(new ExperimentDraft("vision", "streamed", "ada@example.com"), Cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (line.Contains(experiment.Id, StringComparison.Ordinal)) break;
        }
        Assert.Contains("event: tracking", lines);
        Assert.Contains(lines, l => l.StartsWith("data: ", StringComparison.Ordinal) && l.Contains("experiment.created", StringComparison.Ordinal));
    }

    private static string[] Names(string page)
        => Row().Matches(page[page.IndexOf("<tbody>", StringComparison.Ordinal)..]).Select(m => m.Groups["name"].Value).ToArray();

    [GeneratedRegex("<polyline class=\"series\"[^>]*data-logged=\"(?<logged>\\d+)\" data-drawn=\"(?<drawn>\\d+)\" data-last-step=\"\\d+\" data-last-value=\"(?<last>[^\"]+)\" points=\"(?<points>[^\"]+)\"")]
    private static partial Regex SeriesLine();

    [GeneratedRegex("<td class=\"cell\" data-truth=\"(?<t>\\d+)\" data-predicted=\"(?<p>\\d+)\"[^>]*>(?<count>\\d+)</td>")]
    private static partial Regex Cell();

    [GeneratedRegex("<td><a href=\"/experiments/[^\"]+\">(?<name>[^<]+)</a></td>")]
    private static partial Regex Row();
}
