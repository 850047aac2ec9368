namespace Arc.Types;

/// <summary>
/// Optionally implemented by a model that says whether a garbage collection started by another thread during one of
/// its steps is harmless. Arc's worker decodes the next batch of a fit stream while the current one fits, and decoding
/// allocates; for a model that answers false it decodes only between fits. A model that does not implement this
/// interface is taken to tolerate collections (plain .NET code always does).
/// </summary>
public interface IStepCollectionSafety
{
    /// <summary>True when collections during <c>Fit</c> and <c>Predict</c> are harmless.</summary>
    bool ToleratesCollectionsDuringSteps { get; }
}
