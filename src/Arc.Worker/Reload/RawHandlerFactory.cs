using Arc.Sdk;

namespace Arc.Worker;

/// <summary>
/// Creates the byte-level handler of a registered model or job. The class's X and Y are known here only as
/// <see cref="Type"/>s, so the typed handler is closed over them once, by reflection; the calls then run typed.
/// </summary>
internal static class RawHandlerFactory
{
    /// <summary>
    /// Creates the class from <paramref name="parameters"/> (wire bytes) and wraps it in
    /// <paramref name="handlerDefinition"/> (an open generic over X and Y whose constructor takes the instance).
    /// </summary>
    public static THandler Create<THandler>(Type handlerDefinition, ClassRegistration registration, ReadOnlyMemory<byte> parameters, string kind)
    {
        var type = handlerDefinition.MakeGenericType(registration.InputType, registration.OutputType);
        object instance = registration.CreateFromWire(parameters)
            ?? throw new InvalidOperationException($"the factory of {kind} '{registration.Name}' returned null");
        try
        {
            return (THandler)Activator.CreateInstance(type, instance)!;
        }
        catch
        {
            // Created but never served: free it, or its load context could not unload.
            (instance as IDisposable)?.Dispose();
            throw;
        }
    }
}
