using Arc.Sdk;

[assembly: TrainingRecorderProvider(typeof(Arc.Tracking.Recording.TrackingRecorderProvider))]

namespace Arc.Tracking.Recording;

/// <summary>What Arc.Sdk finds in this assembly when a tracking destination is set: opens a <see cref="TrackingRecorder"/>.</summary>
public sealed class TrackingRecorderProvider : ITrainingRecorderProvider
{
    /// <inheritdoc />
    public ITrainingRecorder Open(string destination) => new TrackingRecorder(TrackingDestination.Parse(destination));
}
