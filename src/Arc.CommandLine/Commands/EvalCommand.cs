using System.CommandLine;
using System.Text.Json;
using Arc.Sdk;
using Arc.Types;

namespace Arc.CommandLine;

/// <summary><c>eval</c>: evaluates a trained model (a run folder or checkpoint) on a job's split and prints the report.</summary>
internal sealed class EvalCommand(CommandLineCatalog catalog, StandardOptions s, ParameterOptions parameters, ParseResult result, CancellationToken stop) : IJobVisitor
{
    private ModelSource _source = null!;
    private ParameterValues _jobValues = null!;

    public async Task<int> RunAsync()
    {
        _source = await ModelSource.ResolveAsync(catalog, result.GetValue(s.Model), stop).ConfigureAwait(false);
        string? jobName = result.GetValue(s.Job) ?? _source.Config?.Job;
        var job = jobName is null
            ? (catalog.Jobs.Count == 1 ? catalog.Jobs[0] : throw new CommandLineException("eval needs --job", ArcCommandLineApp.UsageExitCode))
            : catalog.FindJob(jobName) ?? throw new CommandLineException($"--job: this program has no job '{jobName}'", ArcCommandLineApp.UsageExitCode);
        string? datasetDir = result.GetValue(s.DatasetDir);
        RunSettings.CheckDatasetDirectory(datasetDir, job);
        _jobValues = _source.Config is { } config && config.Job == job.Name && result.GetValue(s.Job) is null
            ? RunConfig.FromJson(job, config.JobParameters, RunConfig.FileName)
            : parameters.Bind(result, job, datasetDir);
        return await job.AcceptAsync(this).ConfigureAwait(false);
    }

    public async Task<int> VisitAsync<X, Y>(CommandLineJob<X, Y> job)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        if (_source.Model is not CommandLineModel<X, Y> entry)
            throw new CommandLineException($"model '{_source.Model.Name}' does not take job '{job.Name}''s data types", ArcCommandLineApp.UsageExitCode);
        if (!Enum.TryParse<DataSplit>(result.GetValue(s.EvalSplit), ignoreCase: true, out var split))
            throw new CommandLineException($"--split: '{result.GetValue(s.EvalSplit)}' is not train, validation or test", ArcCommandLineApp.UsageExitCode);
        RunSettings.Apply(result.GetValue(s.Device)!, result.GetValue(s.Threads), null);
        var model = entry.CreateModel(_source.Values);
        using var disposal = model as IDisposable;
        if (_source.Checkpoint is { } checkpoint)
            await Checkpoints.LoadAsync(checkpoint, model, resuming: false, stop).ConfigureAwait(false);
        else
            Console.Error.WriteLine($"warning: evaluating a freshly built '{entry.Name}' (untrained weights); give a run folder or checkpoint to --model to evaluate a trained one");
        var report = await job.CreateJob(_jobValues).EvaluateAsync(model, split, result.GetValue(s.BatchSize), stop).ConfigureAwait(false);
        Console.Write(result.GetValue(s.Json)
            ? JsonSerializer.Serialize(new { model = report.Model, job = report.Job, split = report.Split.ToString(), samples = report.Samples, metrics = report.Metrics }, RunJson.Indented) + Environment.NewLine
            : report.Format());
        return 0;
    }
}
