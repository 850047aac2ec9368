namespace Arc.Sdk;

/// <summary>
/// Marks a <c>partial</c> class deriving from <see cref="SupervisedJob{X,Y}"/> as an Arc job. The generator
/// writes its parameter record (from the public constructor) and registration.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class JobAttribute : Attribute
{
    /// <summary>The job's name in registries and artifact references; defaults to the class name in lower case.</summary>
    public string? Name { get; set; }
}
