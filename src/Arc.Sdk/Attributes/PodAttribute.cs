namespace Arc.Sdk;

/// <summary>
/// Marks a static method whose arguments and result are serializable as a function that can run remotely
/// (in a worker process or a Kubernetes pod). The generator checks the signature at compile time.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class PodAttribute : Attribute
{
    /// <summary>The function's registered name; defaults to <c>Type.Method</c>.</summary>
    public string? Name { get; set; }
}
