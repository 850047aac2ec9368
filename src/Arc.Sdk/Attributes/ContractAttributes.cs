using Arc.Types;

namespace Arc.Sdk;

/// <summary>Which side of a model or job a contract attribute speaks about.</summary>
public enum DataSide
{
    /// <summary>The input, X.</summary>
    X,
    /// <summary>The output of a model, the targets of a job: Y.</summary>
    Y,
}

/// <summary>
/// The base of the contract attributes. Each states what one side of a <c>[Model]</c> or <c>[Job]</c> class must look
/// like; the generator reads them (so tools can read them from metadata without running code), checks them against the
/// class's X and Y at build time (ARC0020), and emits the class's <see cref="DataContract"/> as
/// <c>MyModel.Registration.Contract</c>. A class without any keeps today's behaviour: every X and Y of its types is accepted.
/// </summary>
public abstract class ContractAttribute : Attribute
{
    private protected ContractAttribute() { }

    /// <summary>
    /// The side the contract is for. When left unset, the side whose type the attribute speaks about (X when both are);
    /// set it when X and Y are of the same type.
    /// </summary>
    public DataSide Side { get; set; }
}

/// <summary>
/// What an <see cref="ImageData"/> side must be: set <see cref="Channels"/>, <see cref="Height"/>, <see cref="Width"/>
/// and <see cref="DType"/> to fix them; what is left unset is free. The batch size is always free.
/// <c>[ImageContract(Channels = 1, Height = 28, Width = 28, DType = ArcDType.Float32)]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class ImageContractAttribute : ContractAttribute
{
    /// <summary>The channels C (at least 1); unset for any.</summary>
    public int Channels { get; set; }

    /// <summary>The height H (at least 1); unset for any.</summary>
    public int Height { get; set; }

    /// <summary>The width W (at least 1); unset for any.</summary>
    public int Width { get; set; }

    /// <summary>The pixels' dtype (<see cref="ArcDType.Float32"/> or <see cref="ArcDType.UInt8"/>); unset for any.</summary>
    public ArcDType DType { get; set; }
}

/// <summary>
/// What a <see cref="TableData"/> side must be: exactly these columns, in order, each <c>name:dtype</c> with a dtype of
/// <c>float32</c>, <c>float64</c>, <c>int32</c>, <c>int64</c>, <c>uint8</c>, <c>bool</c> or <c>string</c>:
/// <c>[TableContract("area:float64", "rooms:int64", "city:string")]</c>.
/// </summary>
/// <param name="columns">The columns, <c>name:dtype</c> each, in order.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class TableContractAttribute(params string[] columns) : ContractAttribute
{
    /// <summary>The columns, <c>name:dtype</c> each, in order.</summary>
    public IReadOnlyList<string> Columns { get; } = columns;
}

/// <summary>What a <see cref="TextData"/> side must be: each sample at most <see cref="MaxLength"/> characters; unset for any length.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class TextContractAttribute : ContractAttribute
{
    /// <summary>The longest sample allowed, in characters (UTF-16 code units), at least 1; unset for any.</summary>
    public int MaxLength { get; set; }
}

/// <summary>
/// What a <see cref="ClassData"/> or <see cref="LabelData"/> side must be: exactly these class (label) names, in order.
/// On a model, the classes it predicts (and which <c>Fit</c>'s targets must have); on a job, its targets' classes.
/// <c>[ClassContract("cat", "dog", "bird")]</c>.
/// </summary>
/// <param name="names">The names, in order.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class ClassContractAttribute(params string[] names) : ContractAttribute
{
    /// <summary>The names, in order.</summary>
    public IReadOnlyList<string> Names { get; } = names;
}
