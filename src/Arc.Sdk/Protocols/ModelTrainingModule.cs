using System.Text.Json;
using Arc.Types;
using Microsoft.Extensions.Logging;

namespace Arc.Sdk;

/// <summary>
/// The <see cref="ITrainingModule"/> the generator writes for each <c>[Model]</c> (<c>MyModel.TrainingModule</c>) is
/// this, bound to the model's registration: it reads the arguments (<c>--job</c>, <c>--epochs</c>, <c>--batch-size</c>,
/// <c>--seed</c>, <c>--time-budget</c>, and the model's and job's constructor parameters), creates the model and the
/// <c>[Job]</c>, trains with <see cref="SupervisedJob{X,Y}.TrainAsync"/>, logs each epoch, writes TensorBoard scalars
/// when asked, and saves the model directory (<see cref="ModelDirectory"/>).
/// </summary>
/// <typeparam name="TModel">The model class.</typeparam>
/// <typeparam name="THyperparameters">Its generated hyperparameter record.</typeparam>
/// <typeparam name="X">Input data type.</typeparam>
/// <typeparam name="Y">Output data type.</typeparam>
public class ModelTrainingModule<TModel, THyperparameters, X, Y> : ITrainingModule
    where TModel : class, ISupervisedModel<X, Y>
    where THyperparameters : class
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    /// <summary>Called by generated code.</summary>
    /// <param name="registration">The model's registration.</param>
    protected ModelTrainingModule(ModelRegistration<TModel, THyperparameters, X, Y> registration)
        => Registration = registration ?? throw new ArgumentNullException(nameof(registration));

    /// <summary>The model this module trains.</summary>
    public ModelRegistration<TModel, THyperparameters, X, Y> Registration { get; }

    /// <inheritdoc />
    public async Task TrainAsync(string modelDirectory, IReadOnlyList<string> arguments, bool tensorBoardEnabled = false,
        string tensorBoardDirectory = "logs", ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        ArgumentNullException.ThrowIfNull(arguments);
        var parsed = TrainingArguments.Parse(arguments);
        var jobRegistration = FindJob(parsed.Job);
        var (modelWire, jobWire) = parsed.Bind(Registration, jobRegistration);
        var options = new TrainOptions { Epochs = parsed.Epochs, BatchSize = parsed.BatchSize, ShuffleSeed = parsed.Seed, Budget = parsed.Budget };

        var model = (TModel)WireBinding.Create(Registration, modelWire);
        var job = (SupervisedJob<X, Y>)WireBinding.Create(jobRegistration, jobWire);
        try
        {
            logger?.LogInformation("training model '{Model}' on job '{Job}': {Epochs} epoch(s), batch size {BatchSize}, seed {Seed}, into {Directory}",
                Registration.Name, jobRegistration.Name, options.Epochs, options.BatchSize, parsed.Seed, Path.GetFullPath(modelDirectory));
            var progress = new TrainingProgressLog(logger, tensorBoardEnabled ? tensorBoardDirectory : null);
            var summary = await job.TrainAsync(model, options, progress, cancellationToken).ConfigureAwait(false);
            var info = new TrainedModelInfo
            {
                Model = Registration.Name,
                Type = typeof(TModel).FullName ?? typeof(TModel).Name,
                Job = jobRegistration.Name,
                Hyperparameters = Json(modelWire),
                JobParameters = Json(jobWire),
                Epochs = summary.EpochsCompleted,
                Steps = summary.Steps,
                Samples = summary.Samples,
                LastEpochLoss = double.IsFinite(summary.LastEpochLoss) ? summary.LastEpochLoss : null,
                StoppedByBudget = summary.StoppedByBudget,
            };
            await ModelDirectory.SaveAsync(modelDirectory, info, modelWire, model, cancellationToken).ConfigureAwait(false);
            logger?.LogInformation("trained {Steps} step(s), {Samples} sample(s) in {Seconds:F1} s, last epoch loss {Loss}; saved to {Directory}",
                summary.Steps, summary.Samples, summary.Duration.TotalSeconds, summary.LastEpochLoss, Path.GetFullPath(modelDirectory));
        }
        finally
        {
            await Dispose(model).ConfigureAwait(false);
            await Dispose(job).ConfigureAwait(false);
        }
    }

    /// <summary>The job <paramref name="name"/> names, else the one registered job with this model's X and Y.</summary>
    private ClassRegistration FindJob(string? name)
    {
        var fitting = ArcRegistry.Jobs.Where(j => j.InputType == typeof(X) && j.OutputType == typeof(Y)).ToList();
        string list = fitting.Count == 0 ? "none is registered" : "registered: " + string.Join(", ", fitting.Select(j => j.Name));
        if (name is null)
            return fitting.Count == 1
                ? fitting[0]
                : throw new ArgumentException($"name the job to train model '{Registration.Name}' on with --job <name> ({typeof(X).Name} -> {typeof(Y).Name} jobs: {list})");
        var job = ArcRegistry.FindJob(name) ?? throw new ArgumentException($"--job '{name}' is not a registered job ({typeof(X).Name} -> {typeof(Y).Name} jobs: {list})");
        if (job.InputType != typeof(X) || job.OutputType != typeof(Y))
            throw new ArgumentException($"--job '{name}' is {job}, but model '{Registration.Name}' takes {typeof(X).Name} -> {typeof(Y).Name}");
        return job;
    }

    private static JsonElement Json(byte[] wire) => JsonSerializer.SerializeToElement(HyperparameterWire.Read(wire));

    private static async ValueTask Dispose(object value)
    {
        if (value is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        else if (value is IDisposable disposable) disposable.Dispose();
    }
}
