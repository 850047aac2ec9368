namespace Arc.CommandLine;

/// <summary>
/// What <c>--model</c> names for eval and infer: a registered model (fresh weights), or a run folder or checkpoint
/// (the model and parameters from the run's config.json, the weights from the checkpoint).
/// </summary>
internal sealed record ModelSource(CommandLineModel Model, ParameterValues Values, string? Checkpoint, RunConfig? Config)
{
    public static async Task<ModelSource> ResolveAsync(CommandLineCatalog catalog, string? text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new CommandLineException($"--model is required: one of {string.Join(", ", catalog.Models.Select(m => m.Name))}, a run folder or a checkpoint folder", ArcCommandLineApp.UsageExitCode);
        if (catalog.FindModel(text) is { } named && !Directory.Exists(text))
            return new ModelSource(named, named.Defaults(), null, null);
        if (!Directory.Exists(text))
            throw new CommandLineException($"--model: '{text}' is neither a model of this program ({string.Join(", ", catalog.Models.Select(m => m.Name))}) nor a folder", ArcCommandLineApp.UsageExitCode);
        string checkpoint = Checkpoints.Resolve(text);
        await Checkpoints.VerifyAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        string runFolder = Checkpoints.RunFolderOf(checkpoint);
        var config = RunConfig.Read(runFolder);
        var model = catalog.FindModel(config.Model)
            ?? throw new CommandLineException($"{Path.Combine(runFolder, RunConfig.FileName)} names model '{config.Model}', which this program does not have");
        return new ModelSource(model, RunConfig.FromJson(model, config.ModelParameters, Path.Combine(runFolder, RunConfig.FileName)), checkpoint, config);
    }
}
