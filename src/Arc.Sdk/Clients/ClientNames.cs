namespace Arc.Sdk;

/// <summary>How clients name the class they stand for in messages.</summary>
internal static class ClientNames
{
    /// <summary>The class as C# spells it (<c>Zoo.BaseModel</c>, not the runtime's <c>Zoo+BaseModel</c>).</summary>
    public static string Of(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    /// <summary>A type as C# spells it without namespaces, generics included: <c>IDeployedModel&lt;ImageData, ClassData&gt;</c>.</summary>
    public static string Readable(Type type)
        => type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Readable))}>"
            : type.Name;
}
