namespace Arc.Interactive.Tests;

/// <summary>How Arc's values show in a notebook: pictures, tables, a heat map, progress that updates in place.</summary>
public sealed class FormattersTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task An_image_grid_is_an_image_png_output()
    {
        using var notebook = await NotebookKernel.StartAsync();

        var cell = await notebook.RunAsync("""
            var pixels = new float[3 * 1 * 8 * 8];
            for (int i = 0; i < pixels.Length; i += 3) pixels[i] = 1f;
            Arc.Interactive.ArcNotebook.Grid(new Arc.Types.ImageData(Arc.Types.ArcArray.From(pixels, 3, 1, 8, 8)), columns: 2)
            """);

        cell.AssertSucceeded();
        byte[] png = Convert.FromBase64String(Assert.IsType<string>(cell.Returned("image/png")));
        Assert.Equal(PngSignature, png[..8]);
        // 2 columns × 8 px × 7 (scaled up to be visible) + a 1 px gap; 2 rows likewise.
        Assert.Equal(2 * 8 * 7 + 1, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(2 * 8 * 7 + 1, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public async Task Show_displays_the_grid_as_image_png_and_html_with_its_captions()
    {
        using var notebook = await NotebookKernel.StartAsync();

        var cell = await notebook.RunAsync("""
            Arc.Interactive.ArcNotebook.Show(new Arc.Types.ImageData(Arc.Types.ArcArray.From(new float[2 * 64], 2, 1, 8, 8)), captions: ["three", "seven"]);
            """);

        cell.AssertSucceeded();
        byte[] png = Convert.FromBase64String(Assert.Single(cell.Displayed("image/png")));
        Assert.Equal(PngSignature, png[..8]);
        string html = Assert.Single(cell.Displayed("text/html"));
        Assert.Contains("three", html);
        Assert.Contains("seven", html);
    }

    [Fact]
    public async Task Training_progress_is_one_display_updated_in_place_and_the_report_is_tables_and_a_heat_map()
    {
        using var notebook = await NotebookKernel.StartAsync();
        (await notebook.RunAsync(NotebookCellsTests.HousesCell)).AssertSucceeded();

        var train = await notebook.RunAsync("""
            var model = await PriceClassifier.DeployAsync(Target.InProcess, learningRate: 0.1);
            var progress = Arc.Interactive.ArcNotebook.Progress();
            await new Houses().TrainAsync(model, new TrainOptions { Epochs = 40, BatchSize = 3 }, progress);
            progress.Updates.ToString()
            """);

        train.AssertSucceeded();
        var produced = train.Events.OfType<Microsoft.DotNet.Interactive.Events.DisplayedValueProduced>().ToList();
        var updated = train.Events.OfType<Microsoft.DotNet.Interactive.Events.DisplayedValueUpdated>().ToList();
        Assert.Single(produced); // one display...
        Assert.NotEmpty(updated); // ...updated in place, not a line per step
        Assert.All(updated, u => Assert.Equal(produced[0].ValueId, u.ValueId));
        Assert.Contains("epoch 40/40 batch 2/2", updated[^1].FormattedValues.Single(v => v.MimeType == "text/html").Value);
        Assert.Equal(updated.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), train.Returned());

        var report = await notebook.RunAsync("await new Houses().EvaluateAsync(model)");
        report.AssertSucceeded();
        string html = Assert.IsType<string>(report.Returned("text/html"));
        Assert.Contains("<td>accuracy</td><td>1</td>", html);
        Assert.Contains("arc-confusion", html);
        Assert.Contains("background-color:rgba(33,102,172,1)", html); // the diagonal, all right

        var classes = await notebook.RunAsync("await model.PredictAsync(Houses.Table)");
        classes.AssertSucceeded();
        Assert.Contains("<td>expensive</td>", Assert.IsType<string>(classes.Returned("text/html")));
    }
}
