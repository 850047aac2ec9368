using System.Globalization;
using Arc.Tracking.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Arc.Tracking.Web.Tests.Browser;

/// <summary>The pages in a real browser (Debian's chromium, headless): what a person clicks and sees.</summary>
public sealed class BrowserTests(Chromium chromium)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task From_the_experiment_list_to_a_run_whose_chart_holds_the_logged_points_and_last_value()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        await Runs.TrainedAsync(site.Store, "vision", "run-a", 250, cancellationToken: Cancel);
        await Runs.TrainedAsync(site.Store, "vision", "run-b", 100, 0.2, cancellationToken: Cancel);
        var page = await chromium.NewPageAsync(site);
        await using var context = page.Context;

        await Chromium.SignInAsync(page, TrackedSite.ReaderSecret);
        await Chromium.ScreenshotAsync(page, "namespaces");
        await page.GetByRole(AriaRole.Link, new() { Name = "vision", Exact = true }).ClickAsync();
        await Expect(page.Locator("#experiments tbody tr")).ToHaveCountAsync(2);
        await Chromium.ScreenshotAsync(page, "experiments");
        await page.GetByRole(AriaRole.Link, new() { Name = "run-a" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Experiment run-a" })).ToBeVisibleAsync();

        var line = page.Locator("figure[data-key='loss'] polyline.series");
        await Expect(line).ToHaveCountAsync(1);
        string points = (await line.GetAttributeAsync("points"))!;
        Assert.Equal(250, points.Split(' ').Length);
        Assert.Equal(Runs.Loss(249, 0), double.Parse((await line.GetAttributeAsync("data-last-value"))!, CultureInfo.InvariantCulture));
        await Expect(page.Locator("figure[data-key='loss'] .legend")).ToContainTextAsync($"250 points, last {Runs.Loss(249, 0).ToString("R", CultureInfo.InvariantCulture)} at step 249");
        await Expect(page.Locator("#hyperparameters")).ToContainTextAsync("lr");
        await Chromium.ScreenshotAsync(page, "experiment");
    }

    [Fact]
    public async Task The_heat_maps_cells_equal_the_confusion_matrix()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        var experiment = await Runs.TrainedAsync(site.Store, "vision", "evaluated", 20, cancellationToken: Cancel);
        var matrix = new long[,] { { 50, 3, 1 }, { 4, 40, 6 }, { 0, 2, 44 } };
        await Runs.EvaluatedAsync(site.Store, experiment.Id, matrix, Cancel);
        var page = await chromium.NewPageAsync(site);
        await using var context = page.Context;
        await Chromium.SignInAsync(page, TrackedSite.ReaderSecret, $"/experiments/{experiment.Id}");

        var heatMap = page.GetByRole(AriaRole.Table, new() { Name = "test: confusion matrix" });
        await Expect(heatMap).ToBeVisibleAsync();
        var cells = await heatMap.Locator("td.cell").AllInnerTextsAsync();
        Assert.Equal(matrix.Cast<long>().Select(c => c.ToString(CultureInfo.InvariantCulture)), cells);
        // The darkest cell is the largest count (the colour says what the number says).
        var shades = await heatMap.Locator("td.cell").EvaluateAllAsync<string[]>("cells => cells.map(c => getComputedStyle(c).backgroundColor)");
        Assert.Equal("rgb(55, 55, 255)", shades[0]);
        await heatMap.ScrollIntoViewIfNeededAsync();
        await Chromium.ScreenshotAsync(page, "evaluation");
    }

    [Fact]
    public async Task Comparing_two_runs_shows_two_series()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        await Runs.TrainedAsync(site.Store, "vision", "run-a", 30, cancellationToken: Cancel);
        await Runs.TrainedAsync(site.Store, "vision", "run-b", 40, 0.2, cancellationToken: Cancel);
        await Runs.TrainedAsync(site.Store, "vision", "run-c", 50, 0.4, cancellationToken: Cancel);
        var page = await chromium.NewPageAsync(site);
        await using var context = page.Context;
        await Chromium.SignInAsync(page, TrackedSite.ReaderSecret, "/namespaces/vision");

        await page.GetByLabel("Compare run-a").CheckAsync();
        await page.GetByLabel("Compare run-c").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare selected" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Comparing 2 experiments" })).ToBeVisibleAsync();
        var lines = page.Locator("figure[data-key='loss'] polyline.series");
        await Expect(lines).ToHaveCountAsync(2);
        Assert.Equal(["run-a", "run-c"], await lines.EvaluateAllAsync<string[]>("lines => lines.map(l => l.dataset.series)"));
        Assert.Equal(["30", "50"], await lines.EvaluateAllAsync<string[]>("lines => lines.map(l => l.dataset.logged)"));
        // The hyperparameter that differs is marked.
        await Expect(page.Locator("#compared tr.differs th")).ToHaveTextAsync("lr");
        await Chromium.ScreenshotAsync(page, "compare");
    }

    [Fact]
    public async Task A_running_experiments_chart_grows_while_training_logs()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        var experiment = await Runs.TrainedAsync(site.Store, "vision", "live", 10, status: ExperimentStatus.Running, cancellationToken: Cancel);
        var page = await chromium.NewPageAsync(site);
        await using var context = page.Context;
        await Chromium.SignInAsync(page, TrackedSite.ReaderSecret, $"/experiments/{experiment.Id}");
        var line = page.Locator("figure[data-key='loss'] polyline.series");
        await Expect(line).ToHaveAttributeAsync("data-logged", "10");

        // Training goes on while the page is open: the page is not reloaded, the chart follows.
        for (int batch = 1; batch <= 5; batch++)
        {
            await Runs.LogLossAsync(site.Store, experiment.Id, 10 * batch, 10, 0, Cancel);
            await Expect(line).ToHaveAttributeAsync("data-logged", (10 * (batch + 1)).ToString(CultureInfo.InvariantCulture));
        }
        Assert.Equal(60, (await line.GetAttributeAsync("points"))!.Split(' ').Length);
        Assert.Equal(Runs.Loss(59, 0), double.Parse((await line.GetAttributeAsync("data-last-value"))!, CultureInfo.InvariantCulture));
        await Chromium.ScreenshotAsync(page, "live");
        await site.Store.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Finished, cancellationToken: Cancel);
    }

    [Fact]
    public async Task A_read_only_token_sees_no_write_control_and_a_writer_labels_a_version()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        var experiment = await Runs.TrainedAsync(site.Store, "vision", "trained", 20, cancellationToken: Cancel);
        var model = await site.Store.CreateModelAsync(new RegisteredModelDraft("vision", "classifier", "ada@example.com"), Cancel);
        await site.Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id)
        {
            ArtifactReference = "127.0.0.1:5000/vision/classifier:1",
            Lineage = new ModelLineage(experimentId: experiment.Id, job: "train", dataset: new DatasetRef("fashion", "1")),
            Metrics = new Dictionary<string, double> { ["accuracy"] = 0.9 },
        }, Cancel);

        var reader = await chromium.NewPageAsync(site);
        await using (reader.Context)
        {
            await Chromium.SignInAsync(reader, TrackedSite.ReaderSecret, $"/models/{model.Id}");
            await Expect(reader.GetByRole(AriaRole.Textbox, new() { Name = "OCI reference" })).ToHaveValueAsync("127.0.0.1:5000/vision/classifier:1");
            await Expect(reader.Locator("form[method='post']")).ToHaveCountAsync(0);
            await Expect(reader.GetByRole(AriaRole.Button, new() { Name = "Add label" })).ToHaveCountAsync(0);
            await Chromium.ScreenshotAsync(reader, "model-read-only");
            await reader.GotoAsync($"/experiments/{experiment.Id}");
            await Expect(reader.Locator("form[method='post']")).ToHaveCountAsync(0);
        }

        var writer = await chromium.NewPageAsync(site);
        await using (writer.Context)
        {
            await Chromium.SignInAsync(writer, TrackedSite.WriterSecret, $"/models/{model.Id}");
            var version = writer.Locator("#v1");
            await version.GetByLabel("Label key").FillAsync("stage");
            await version.GetByLabel("Value").FillAsync("production");
            await version.GetByRole(AriaRole.Button, new() { Name = "Add label to classifier version 1" }).ClickAsync();
            await Expect(writer.Locator("#v1 .labels")).ToContainTextAsync("stage = production");
            await Chromium.ScreenshotAsync(writer, "model-writer");
            // The lineage link leads to the experiment.
            await writer.Locator("#v1").GetByRole(AriaRole.Link, new() { Name = "trained" }).ClickAsync();
            await Expect(writer.GetByRole(AriaRole.Heading, new() { Name = "Experiment trained" })).ToBeVisibleAsync();
        }
        Assert.Equal("production", (await site.Store.ListModelVersionsAsync(model.Id, Cancel))[0].Labels["stage"]);
    }

    [Fact]
    public async Task Every_page_is_reached_by_keyboard_and_every_control_is_labelled()
    {
        await using var site = await TrackedSite.StartAsync(cancellationToken: Cancel);
        var a = await Runs.TrainedAsync(site.Store, "vision", "run-a", 30, cancellationToken: Cancel);
        var b = await Runs.TrainedAsync(site.Store, "vision", "run-b", 30, 0.1, cancellationToken: Cancel);
        await Runs.EvaluatedAsync(site.Store, a.Id, new long[,] { { 3, 1 }, { 0, 4 } }, Cancel);
        var model = await site.Store.CreateModelAsync(new RegisteredModelDraft("vision", "classifier", "ada@example.com"), Cancel);
        await site.Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id) { ArtifactReference = "127.0.0.1:5000/vision/classifier:1" }, Cancel);
        var page = await chromium.NewPageAsync(site);
        await using var context = page.Context;
        await Chromium.SignInAsync(page, TrackedSite.WriterSecret);

        var pages = new (string Name, string Path)[]
        {
            ("token", "/token"), ("namespaces-writer", "/"), ("experiments-writer", "/namespaces/vision"), ("experiment-writer", $"/experiments/{a.Id}"),
            ("compare-writer", $"/compare?id={a.Id}&id={b.Id}"), ("models", "/namespaces/vision/models"), ("model", $"/models/{model.Id}"), ("events", "/events"),
        };
        foreach (var (name, path) in pages)
        {
            await page.GotoAsync(path);
            // The first Tab reaches the skip link, Enter puts the focus on the content.
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
            await page.Keyboard.PressAsync("Enter");
            Assert.Equal("main", await page.EvaluateAsync<string>("document.activeElement.id"));
            var unlabelled = await page.EvaluateAsync<string[]>("""
                [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href], img, svg[role=img], table')]
                  .filter(e => {
                    if (e.tagName === 'IMG') return !e.alt;
                    const labelledBy = e.getAttribute('aria-labelledby');
                    const namedBy = labelledBy && document.getElementById(labelledBy)?.textContent.trim();
                    if (e.tagName === 'svg') return !namedBy;
                    if (e.tagName === 'TABLE') return !(e.caption?.textContent.trim() || namedBy);
                    if (e.getAttribute('aria-label')) return false;
                    if (e.labels && e.labels.length > 0) return false;
                    return !(e.tagName === 'BUTTON' || e.tagName === 'A') || !e.textContent.trim();
                  })
                  .map(e => e.outerHTML.slice(0, 120))
                """);
            Assert.True(unlabelled.Length == 0, $"{path}: controls without a label: {string.Join("; ", unlabelled)}");
            await Chromium.ScreenshotAsync(page, name);
        }

        // Sorting by keyboard: focus a column's link, press Enter.
        await page.GotoAsync("/namespaces/vision");
        var sortByName = page.GetByRole(AriaRole.Link, new() { Name = "Name", Exact = true });
        await sortByName.FocusAsync();
        await sortByName.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=name"));
        await Expect(page.Locator("th[aria-sort]")).ToHaveTextAsync("Name ▼");
    }
}
