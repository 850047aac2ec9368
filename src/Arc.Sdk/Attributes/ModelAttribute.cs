using Arc.Types;
namespace Arc.Sdk;

/// <summary>
/// Marks a <c>partial</c> class deriving from <see cref="SupervisedModel{X,Y}"/> as an Arc model. The generator
/// writes its hyperparameter record (from the public constructor), registration and wire formatters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>The model's name in registries and artifact references; defaults to the class name in lower case.</summary>
    public string? Name { get; set; }
}
