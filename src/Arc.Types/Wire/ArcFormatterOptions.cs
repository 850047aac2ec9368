using MessagePack;
using MessagePack.Formatters;

namespace Arc.Types;

/// <summary>
/// The options Arc hands to its own MessagePack formatters — the generated ones of <c>[Model]</c> hyperparameters,
/// <c>[Job]</c> parameters and dataset processors, and <see cref="ArcDataFormatter{T}"/>: a resolver that knows Arc data
/// types only (<see cref="ArcResolver"/>), with <see cref="MessagePackSecurity.UntrustedData"/>. Those formatters read
/// and write every field themselves and ask the resolver for nothing but Arc data types.
/// </summary>
/// <remarks>
/// Why not <see cref="MessagePackSerializerOptions.Standard"/>: its first use builds MessagePack's standard resolvers
/// (about a hundred built-in formatters, dynamic code generation), which cost every new process 30–50 ms
/// (docs/performance.md, "Worker cold start") for formatters Arc never calls. Use <see cref="ArcWire.Options"/> to put
/// Arc data types inside messages of your own types.
/// </remarks>
public sealed class ArcFormatterOptions : MessagePackSerializerOptions
{
    /// <summary>The one instance.</summary>
    public static ArcFormatterOptions Instance { get; } = (ArcFormatterOptions)new ArcFormatterOptions().WithSecurity(MessagePackSecurity.UntrustedData);

    private ArcFormatterOptions()
        : base(ArcTypesOnly.Instance)
    {
    }

    private ArcFormatterOptions(ArcFormatterOptions copyFrom)
        : base(copyFrom)
    {
    }

    /// <inheritdoc />
    protected override MessagePackSerializerOptions Clone() => new ArcFormatterOptions(this);

    // Asks ArcResolver, but only when a formatter is asked for: Arc's own formatters never ask, so a process that only
    // reads parameters does not build ArcResolver's table.
    private sealed class ArcTypesOnly : IFormatterResolver
    {
        public static readonly ArcTypesOnly Instance = new();

        public IMessagePackFormatter<T>? GetFormatter<T>() => ArcResolver.Instance.GetFormatter<T>();
    }
}
