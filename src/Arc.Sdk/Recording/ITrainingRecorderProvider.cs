namespace Arc.Sdk;

/// <summary>
/// Opens the recorder of a tracking destination (<c>file:&lt;dir&gt;</c>, <c>http://host:port</c>). An assembly names its
/// provider with <see cref="TrainingRecorderProviderAttribute"/>; Arc loads <c>Arc.Tracking.Recording</c> by name when a
/// destination is set, so <c>Arc.Sdk</c> itself carries no store or database client.
/// </summary>
public interface ITrainingRecorderProvider
{
    /// <summary>The recorder for <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">Not a destination this provider knows.</exception>
    ITrainingRecorder Open(string destination);
}

/// <summary>Names an assembly's <see cref="ITrainingRecorderProvider"/> (a public class with a parameterless constructor).</summary>
/// <param name="providerType">The provider's type.</param>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class TrainingRecorderProviderAttribute(Type providerType) : Attribute
{
    /// <summary>The provider's type.</summary>
    public Type ProviderType { get; } = providerType;
}
