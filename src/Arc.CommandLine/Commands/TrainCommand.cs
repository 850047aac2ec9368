using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;
using TorchSharp;

namespace Arc.CommandLine;

/// <summary>
/// <c>train</c>: picks the job and model, builds them from the options (or from the run's config.json with
/// <c>--resume</c>), writes the run folder and trains (<see cref="TrainingLoop{X, Y}"/>).
/// </summary>
internal sealed class TrainCommand(CommandLineCatalog catalog, StandardOptions s, ParameterOptions parameters, ParseResult result, CancellationToken stop)
    : IJobVisitor
{
    private CommandLineModel _model = null!;
    private ParameterValues _modelValues = null!;
    private ParameterValues _jobValues = null!;
    private string _runFolder = null!;
    private string? _checkpoint;
    private CheckpointState? _resumeState;
    private int _epochs, _batchSize, _seed;
    private Target _target = Target.InProcess;

    /// <summary>Whether the model runs elsewhere than in this process (a worker process, a pod).</summary>
    private bool Remote => _target != Target.InProcess;

    public async Task<int> RunAsync()
    {
        _target = RunTargets.Validated(result.GetValue(s.Target), s, result);
        if (result.GetValue(s.CheckpointEvery) < 0)
            throw new CommandLineException("--checkpoint-every: give 0 (only at the end) or a number of steps", ArcCommandLineApp.UsageExitCode);
        string? datasetDir = result.GetValue(s.DatasetDir);

        CommandLineJob job;
        if (result.GetValue(s.Resume) is { } resume)
        {
            _checkpoint = Checkpoints.Resolve(resume);
            _resumeState = await Checkpoints.VerifyAsync(_checkpoint, stop).ConfigureAwait(false);
            _runFolder = Checkpoints.RunFolderOf(_checkpoint);
            var config = RunConfig.Read(_runFolder);
            string configPath = Path.Combine(_runFolder, RunConfig.FileName);
            _model = catalog.FindModel(config.Model) ?? throw new CommandLineException($"{configPath} names model '{config.Model}', which this program does not have");
            job = catalog.FindJob(config.Job) ?? throw new CommandLineException($"{configPath} names job '{config.Job}', which this program does not have");
            _modelValues = RunConfig.FromJson(_model, config.ModelParameters, configPath);
            _jobValues = RunConfig.FromJson(job, config.JobParameters, configPath);
            if (datasetDir is not null)
                _jobValues = WithDatasetDirectory(job, _jobValues, datasetDir);
            _epochs = Given(s.Epochs) ? result.GetValue(s.Epochs) : config.Epochs;
            (_batchSize, _seed) = (config.BatchSize, config.Seed);
            if (Given(s.BatchSize) && result.GetValue(s.BatchSize) != _batchSize || Given(s.Seed) && result.GetValue(s.Seed) != _seed)
                throw new CommandLineException($"--resume continues with the run's batch size {_batchSize} and seed {_seed} ({configPath}); leave --batch-size and --seed out", ArcCommandLineApp.UsageExitCode);
        }
        else
        {
            job = SelectJob();
            string modelName = result.GetValue(s.Model)
                ?? throw new CommandLineException($"train needs --model: one of {string.Join(", ", catalog.Models.Select(m => m.Name))}", ArcCommandLineApp.UsageExitCode);
            _model = catalog.FindModel(modelName)
                ?? throw new CommandLineException($"--model: this program has no model '{modelName}'; it has {string.Join(", ", catalog.Models.Select(m => m.Name))}", ArcCommandLineApp.UsageExitCode);
            _modelValues = parameters.Bind(result, _model, null);
            _jobValues = parameters.Bind(result, job, datasetDir);
            (_epochs, _batchSize, _seed) = (result.GetValue(s.Epochs), result.GetValue(s.BatchSize), result.GetValue(s.Seed));
            _runFolder = Path.GetFullPath(result.GetValue(s.OutputDir) ?? Path.Combine("runs", $"{_model.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
            if (Directory.Exists(Path.Combine(_runFolder, Checkpoints.Folder)))
                throw new CommandLineException($"--output-dir {_runFolder} already holds a run; continue it with --resume {_runFolder}, or choose another folder", ArcCommandLineApp.UsageExitCode);
        }
        if (_epochs < 1 || _batchSize < 1)
            throw new CommandLineException("--epochs and --batch-size take 1 or more", ArcCommandLineApp.UsageExitCode);
        var stray = parameters.GivenButNotOf(result, [_model, job]).ToList();
        if (stray.Count > 0)
            throw new CommandLineException($"{string.Join(", ", stray)}: not a parameter of model '{_model.Name}' or job '{job.Name}'", ArcCommandLineApp.UsageExitCode);
        RunSettings.CheckDatasetDirectory(datasetDir, job);
        return await job.AcceptAsync(this).ConfigureAwait(false);
    }

    private bool Given(Option option) => result.GetResult(option) is { Implicit: false };

    private static ParameterValues WithDatasetDirectory(CommandLineJob job, ParameterValues values, string directory)
    {
        var copy = values.All.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var p in job.Parameters.Where(p => p.OptionName == "--dataset-dir"))
            copy[p.Name] = directory;
        return new ParameterValues(copy, job.Name);
    }

    private CommandLineJob SelectJob()
    {
        if (result.GetValue(s.Job) is { } name)
            return catalog.FindJob(name)
                ?? throw new CommandLineException($"--job: this program has no job '{name}'; it has {string.Join(", ", catalog.Jobs.Select(j => j.Name))}", ArcCommandLineApp.UsageExitCode);
        return catalog.Jobs.Count == 1 ? catalog.Jobs[0]
            : throw new CommandLineException($"--job is needed: this program has {(catalog.Jobs.Count == 0 ? "no jobs" : string.Join(", ", catalog.Jobs.Select(j => j.Name)))}", ArcCommandLineApp.UsageExitCode);
    }

    public async Task<int> VisitAsync<X, Y>(CommandLineJob<X, Y> job)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        if (_model is not CommandLineModel<X, Y> model)
            throw new CommandLineException($"model '{_model.Name}' takes {_model.InputType.Name} → {_model.OutputType.Name}, job '{job.Name}' gives {typeof(X).Name} → {typeof(Y).Name}; pick a model and job of the same data types", ArcCommandLineApp.UsageExitCode);

        if (result.GetValue(s.Target) == RunTarget.Kubernetes)
            torch.manual_seed(_seed); // --device and --threads went into the pod's options (RunTargets); only the seed applies here
        else
            RunSettings.Apply(result.GetValue(s.Device)!, result.GetValue(s.Threads), _seed, forWorkers: Remote);
        // The model starts first: a target that cannot start it ends the command before the run folder exists.
        var deployed = Remote ? await DeployAsync(model).ConfigureAwait(false) : null;
        try
        {
            Directory.CreateDirectory(_runFolder);
            var instance = job.CreateJob(_jobValues);
            return await TrainAsync(job, model, instance, deployed).ConfigureAwait(false);
        }
        finally
        {
            // Stops the worker (or deletes the pod) whatever happened.
            if (deployed is not null) await deployed.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> TrainAsync<X, Y>(CommandLineJob<X, Y> job, CommandLineModel<X, Y> model, SupervisedJob<X, Y> instance, IDeployedModel<X, Y>? deployed)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        var trained = deployed ?? model.CreateModel(_modelValues);
        using var disposal = deployed is null ? trained as IDisposable : null;

        if (_resumeState is null)
        {
            var sample = await instance.SampleAsync(1, DataSplit.Train, cancellationToken: stop).ConfigureAwait(false);
            new RunConfig
            {
                Model = model.Name,
                Job = job.Name,
                ModelParameters = RunConfig.ToJson(_modelValues),
                JobParameters = RunConfig.ToJson(_jobValues),
                Epochs = _epochs,
                BatchSize = _batchSize,
                Seed = _seed,
                InputShape = sample.Inputs is ImageData image ? image.Pixels.ShapeArray()[1..] : null,
                Created = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            }.Write(_runFolder);
        }
        await File.WriteAllTextAsync(Path.Combine(_runFolder, "env.json"), JsonSerializer.Serialize(ArcEnvironment.Sample(), RunJson.Indented) + "\n", stop).ConfigureAwait(false);

        var handlers = OutputHandlers.Create(result.GetValue(s.Outputs)!, _runFolder, result.GetValue(s.Tracking));
        var pipeline = new OutputPipeline(handlers, result.GetValue(s.LogLevel));
        string outcome;
        try
        {
            StepProfiler? profiler = null;
            if (result.GetValue(s.Profile))
            {
                profiler = new StepProfiler();
                if (trained is IStepPhaseSource source)
                    source.PhaseRecorder = profiler;
                else
                    pipeline.Log(LogLevel.Warning, $"--profile: model {model.Name} does not report its step phases (IStepPhaseSource); only the wait for data is measured");
            }
            if (deployed is not null)
            {
                pipeline.Log(LogLevel.Info, $"model {model.Name} on the {_target.Kind} target: {deployed}");
                pipeline.Log(LogLevel.Info, $"checkpoints keep the weights and the optimizer state of the model on the {_target.Kind} target, not its random generator: a resumed run draws dropout masks afresh");
            }
            if (trained is IDeviceInfo device)
                pipeline.Log(LogLevel.Info, $"model {model.Name} on {device.DeviceName}");
            if (_checkpoint is not null)
            {
                bool withOptimizer = await Checkpoints.LoadAsync(_checkpoint, trained, resuming: true, stop).ConfigureAwait(false);
                pipeline.Log(LogLevel.Info, $"resumed from {_checkpoint} (epoch {_resumeState!.Epoch}, step {_resumeState.Step}{(withOptimizer ? ", with optimizer state" : ", weights only: the checkpoint or the model has no optimizer state")})");
            }
            var loop = new TrainingLoop<X, Y>(instance, trained, pipeline, _runFolder)
            {
                Epochs = _epochs,
                BatchSize = _batchSize,
                Seed = _seed,
                CheckpointEvery = result.GetValue(s.CheckpointEvery),
                Budget = result.GetValue(s.TimeBudget),
                Start = _resumeState ?? new CheckpointState(1, 0, 0, 0, EpochComplete: false),
                Profiler = profiler,
                ModelParameters = _modelValues.All,
                JobParameters = _jobValues.All,
                // torch's random state here is not the worker's: a remote run's checkpoints leave rng.bin out.
                SaveRandomState = !Remote,
            };
            outcome = await loop.RunAsync(stop).ConfigureAwait(false);
        }
        finally
        {
            await pipeline.DisposeAsync().ConfigureAwait(false);
        }
        return outcome == TrainingLoop<X, Y>.Interrupted ? ArcCommandLineApp.InterruptedExitCode : 0;
    }

    /// <summary>
    /// Starts the model on the target through its registration. A fresh run then sends it the weights the model has when
    /// built here after <c>--seed</c>, so that a seed means the same initial weights on every target (a worker draws
    /// from its own generator otherwise); a resumed run gets the checkpoint's weights instead.
    /// </summary>
    private async Task<IDeployedModel<X, Y>> DeployAsync<X, Y>(CommandLineModel<X, Y> model)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        IDeployedModel<X, Y> deployed;
        try
        {
            deployed = await model.DeployModelAsync(_modelValues, _target, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not CommandLineException)
        {
            throw new CommandLineException($"--target {_target.Kind}: model '{model.Name}' could not start there: {e.Message}");
        }
        if (_resumeState is not null) return deployed;
        try
        {
            var seeded = model.CreateModel(_modelValues);
            using (seeded as IDisposable)
            {
                using var weights = new MemoryStream();
                await seeded.SaveWeightsAsync(weights, stop).ConfigureAwait(false);
                weights.Position = 0;
                await deployed.LoadWeightsAsync(weights, stop).ConfigureAwait(false);
            }
            return deployed;
        }
        catch
        {
            await deployed.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
