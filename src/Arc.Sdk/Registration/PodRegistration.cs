using MessagePack.Formatters;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>One serialized parameter of a pod: its name (the key in the argument map) and its type.</summary>
/// <param name="Name">The parameter's name in the method, used as the key on the wire.</param>
/// <param name="Type">The parameter's type.</param>
public sealed record PodParameter(string Name, Type Type);

/// <summary>
/// What the generator registers for one <c>[Pod]</c> method: its name, signature, and how to invoke it from
/// arguments in their wire form, returning the result in its wire form. <see cref="ArcRegistration.Type"/> is the type
/// that declares the method.
/// </summary>
public abstract class PodRegistration : ArcRegistration
{
    private protected PodRegistration(string name, Type declaringType, string methodName, IReadOnlyList<PodParameter> parameters, Type returnType)
        : base(ArcKind.Pod, name, declaringType)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(returnType);
        MethodName = methodName;
        Parameters = parameters.ToArray();
        ReturnType = returnType;
    }

    /// <summary>The method's name.</summary>
    public string MethodName { get; }

    /// <summary>The serialized parameters, in declaration order (a <see cref="CancellationToken"/> parameter is not among them).</summary>
    public IReadOnlyList<PodParameter> Parameters { get; }

    /// <summary>The result type, with <see cref="Task{TResult}"/>/<see cref="ValueTask{TResult}"/> unwrapped; <see cref="void"/> when the pod returns nothing.</summary>
    public Type ReturnType { get; }

    /// <summary>The generated argument record.</summary>
    public abstract Type ArgumentsType { get; }

    /// <summary>
    /// Reads the arguments (a MessagePack map keyed by parameter name), invokes the method in this process and
    /// returns the result's wire form (nil when the pod returns nothing).
    /// </summary>
    /// <exception cref="ArcFormatException">The argument bytes are malformed or miss a required argument.</exception>
    public abstract ValueTask<byte[]> InvokeFromWireAsync(ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the arguments now and returns the call that invokes the method and writes its result: a worker uses it to
    /// tell malformed arguments (thrown here) from a failure of the method (thrown by the returned call).
    /// </summary>
    /// <exception cref="ArcFormatException">The argument bytes are malformed or miss a required argument.</exception>
    public abstract Func<CancellationToken, ValueTask<byte[]>> PrepareFromWire(ReadOnlyMemory<byte> arguments);

    internal override string Owner => $"{Type.FullName}.{MethodName}";

    /// <inheritdoc />
    public override string ToString()
        => $"pod '{Name}' ({Type.FullName}.{MethodName}({string.Join(", ", Parameters.Select(p => $"{p.Type.Name} {p.Name}"))}) -> {ReturnType.Name})";
}

/// <summary>The typed registration of a pod with argument record <typeparamref name="TArguments"/> and result <typeparamref name="TResult"/>.</summary>
/// <typeparam name="TArguments">The generated argument record.</typeparam>
/// <typeparam name="TResult">The result type (<see cref="NoResult"/> for a pod that returns nothing).</typeparam>
public sealed class PodRegistration<TArguments, TResult> : PodRegistration
    where TArguments : class
{
    private readonly Func<TArguments, CancellationToken, ValueTask<TResult>> _invoke;

    /// <summary>Called by generated code.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="declaringType">The type that declares the method.</param>
    /// <param name="methodName">The method's name.</param>
    /// <param name="parameters">The serialized parameters.</param>
    /// <param name="returnType">The unwrapped result type, or <see cref="void"/>.</param>
    /// <param name="argumentsFormatter">The generated argument formatter.</param>
    /// <param name="resultCodec">Writes and reads the result.</param>
    /// <param name="invoke">Calls the method with the arguments.</param>
    public PodRegistration(
        string name,
        Type declaringType,
        string methodName,
        IReadOnlyList<PodParameter> parameters,
        Type returnType,
        IMessagePackFormatter<TArguments> argumentsFormatter,
        WireCodec<TResult> resultCodec,
        Func<TArguments, CancellationToken, ValueTask<TResult>> invoke)
        : base(name, declaringType, methodName, parameters, returnType)
    {
        ArgumentNullException.ThrowIfNull(argumentsFormatter);
        ArgumentNullException.ThrowIfNull(resultCodec);
        ArgumentNullException.ThrowIfNull(invoke);
        ArgumentsFormatter = argumentsFormatter;
        ResultCodec = resultCodec;
        _invoke = invoke;
    }

    /// <summary>Reads and writes the argument record as a MessagePack map keyed by parameter name.</summary>
    public IMessagePackFormatter<TArguments> ArgumentsFormatter { get; }

    /// <summary>Reads and writes the result.</summary>
    public WireCodec<TResult> ResultCodec { get; }

    /// <inheritdoc />
    public override Type ArgumentsType => typeof(TArguments);

    /// <summary>Invokes the method in this process.</summary>
    public ValueTask<TResult> InvokeAsync(TArguments arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return _invoke(arguments, cancellationToken);
    }

    /// <summary>The wire form of <paramref name="arguments"/>.</summary>
    public byte[] WriteArguments(TArguments arguments) => WireFormat.Serialize(ArgumentsFormatter, arguments);

    /// <summary>Reads arguments from their wire form.</summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid argument map for this pod.</exception>
    public TArguments ReadArguments(ReadOnlyMemory<byte> wire) => WireFormat.Deserialize(ArgumentsFormatter, wire, $"arguments of pod '{Name}'");

    /// <summary>The wire form of a result.</summary>
    public byte[] WriteResult(TResult result) => WireFormat.Serialize(ResultCodec, result);

    /// <summary>Reads a result from its wire form.</summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid result of this pod.</exception>
    public TResult ReadResult(ReadOnlyMemory<byte> wire) => WireFormat.Deserialize(ResultCodec, wire, $"result of pod '{Name}'");

    /// <inheritdoc />
    public override async ValueTask<byte[]> InvokeFromWireAsync(ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken = default)
        => await PrepareFromWire(arguments)(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override Func<CancellationToken, ValueTask<byte[]>> PrepareFromWire(ReadOnlyMemory<byte> arguments)
    {
        var typed = ReadArguments(arguments);
        return async cancellationToken => WriteResult(await InvokeAsync(typed, cancellationToken).ConfigureAwait(false));
    }
}
