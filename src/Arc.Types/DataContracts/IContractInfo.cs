namespace Arc.Types;

/// <summary>
/// Implemented by a model or job that states a <see cref="DataContract"/> (the generator implements it for a class with
/// contract attributes) and by the deployed forms and clients that carry one, as <see cref="IDeviceInfo"/> is: callers
/// ask <see cref="DataContract.Of"/> rather than test for it.
/// </summary>
public interface IContractInfo
{
    /// <summary>The contract; <see cref="DataContract.None"/> when nothing is stated.</summary>
    DataContract Contract { get; }
}
