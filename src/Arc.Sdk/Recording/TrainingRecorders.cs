using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Arc.Sdk;

/// <summary>
/// Finds the recorder a training run uses and remembers, per model object, the recording of its latest run (so that an
/// evaluation or a save after training lands in the same record).
/// </summary>
public static class TrainingRecorders
{
    /// <summary>The assembly that records into the tracking store; loaded by name only when a destination is set.</summary>
    internal const string TrackingAssembly = "Arc.Tracking.Recording";

    private static readonly ConditionalWeakTable<object, ITrainingRecording> Latest = new();
    private static readonly ConcurrentDictionary<string, ITrainingRecorder> ByDestination = new(StringComparer.Ordinal);
    private static readonly Lazy<ITrainingRecorderProvider> Provider = new(LoadProvider);

    /// <summary>
    /// <see cref="TrainOptions.Recorder"/>, else the recorder of <see cref="TrainOptions.Tracking"/> or
    /// <c>ARC_TRACKING_URI</c>; null when none is set (nothing is recorded).
    /// </summary>
    internal static ITrainingRecorder? Resolve(TrainOptions options) => Resolve(options, Environment.GetEnvironmentVariable);

    /// <summary>
    /// The recorder of tracking destination <paramref name="destination"/> (<c>file:&lt;dir&gt;</c> or
    /// <c>http://host:port</c>), the one <see cref="TrainOptions.Tracking"/> would use and shared with it, for a training
    /// loop of one's own (the generated command line's <c>--tracking</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The text is not a destination (the message lists the forms).</exception>
    /// <exception cref="InvalidOperationException">Arc.Tracking.Recording cannot be loaded.</exception>
    public static ITrainingRecorder ForDestination(string destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        return Resolve(new TrainOptions { Tracking = destination }, _ => null)!;
    }

    /// <summary><see cref="Resolve(TrainOptions)"/> reading the environment through <paramref name="variable"/>.</summary>
    internal static ITrainingRecorder? Resolve(TrainOptions options, Func<string, string?> variable)
    {
        if (options.Recorder is { } recorder) return recorder;
        string? destination = options.Tracking;
        if (string.IsNullOrWhiteSpace(destination)) destination = variable(TrainOptions.TrackingEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(destination)) return null;
        // One recorder per destination: it holds the store connection every run to that destination shares.
        return ByDestination.GetOrAdd(destination.Trim(), d => Provider.Value.Open(d));
    }

    /// <summary>Starts a recording of <paramref name="model"/>'s run and makes it the model's latest.</summary>
    internal static async ValueTask<ITrainingRecording> StartAsync(ITrainingRecorder recorder, object model, TrainingRunInfo run, CancellationToken cancellationToken)
    {
        var recording = await recorder.StartAsync(run, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{recorder.GetType().Name}.StartAsync returned no recording");
        Latest.AddOrUpdate(model, recording);
        return recording;
    }

    /// <summary>
    /// The recording of <paramref name="model"/>'s latest training run (its <see cref="ITrainingRecording.Description"/>
    /// says where it went); null when the object was never trained with a recorder.
    /// </summary>
    public static ITrainingRecording? LatestOf(object model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Latest.TryGetValue(model, out var recording) ? recording : null;
    }

    private static ITrainingRecorderProvider LoadProvider()
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(TrackingAssembly));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new InvalidOperationException(
                $"a tracking destination is set (TrainOptions.Tracking or {TrainOptions.TrackingEnvironmentVariable}) but {TrackingAssembly} " +
                $"cannot be loaded ({e.Message}); reference the {TrackingAssembly} package, or unset the destination", e);
        }
        var attribute = assembly.GetCustomAttribute<TrainingRecorderProviderAttribute>()
            ?? throw new InvalidOperationException($"{TrackingAssembly} names no [assembly: TrainingRecorderProvider(...)]");
        return Activator.CreateInstance(attribute.ProviderType) as ITrainingRecorderProvider
            ?? throw new InvalidOperationException($"{attribute.ProviderType} is not an {nameof(ITrainingRecorderProvider)}");
    }
}
