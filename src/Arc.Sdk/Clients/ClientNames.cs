namespace Arc.Sdk;

/// <summary>How clients name the class they stand for in messages.</summary>
internal static class ClientNames
{
    /// <summary>The class as C# spells it (<c>Zoo.BaseModel</c>, not the runtime's <c>Zoo+BaseModel</c>).</summary>
    public static string Of(Type type) => (type.FullName ?? type.Name).Replace('+', '.');
}
