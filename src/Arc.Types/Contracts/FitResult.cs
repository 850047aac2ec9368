namespace Arc.Types;

/// <summary>What one <c>Fit</c> call on one batch reports: the training loss and any extra metrics.</summary>
/// <param name="Loss">Mean loss over the batch.</param>
/// <param name="Samples">Samples in the batch.</param>
/// <param name="Metrics">Optional extra metrics, e.g. batch accuracy.</param>
public sealed record FitResult(double Loss, int Samples, IReadOnlyDictionary<string, double>? Metrics = null);
