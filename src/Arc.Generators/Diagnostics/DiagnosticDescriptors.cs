using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>
/// Every diagnostic Arc's generators report. IDs are stable (documented in AnalyzerReleases.*.md and, with a wrong and
/// a fixed example each, in docs/diagnostics.md); each message says what is wrong and how to fix it, each description
/// says why it matters. All but ARC0017 are errors by default and the generated code for the declaration is not emitted; ARC0017 is a warning (the parameter only lacks an option).
/// </summary>
/// <remarks>
/// The rules are configurable like any analyzer rule (no <c>NotConfigurable</c> tag, which would make the compiler
/// ignore both <c>#pragma warning disable ARCnnnn</c> and <c>dotnet_diagnostic.ARCnnnn.severity</c> in
/// <c>.editorconfig</c>). Suppressing one hides only the report: the generator still emits nothing for the
/// declaration, so nothing half-generated ever compiles.
/// </remarks>
internal static class DiagnosticDescriptors
{
    private const string Category = "Arc";

    /// <summary>
    /// Where help links point: docs/diagnostics.md, one section per ID (anchor <c>arcnnnn</c>). The repository has no
    /// published address yet, so the link is relative to the repository root; when it has one, this is the one place to change.
    /// </summary>
    public const string HelpLinkBase = "docs/diagnostics.md#";

    /// <summary>{0}: the type that must be partial.</summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = Rule(
        "ARC0001",
        "Arc type must be partial",
        "'{0}' must be declared partial because Arc generates code into it; add the 'partial' modifier to '{0}'",
        "Arc adds the generated members (the parameter record and its formatter, Create, Registration, the client and DevelopAsync, or a pod's registration field and remote form) to the user's type itself. C# allows that only when every declaration of the type, and of each type containing it, is partial.");

    /// <summary>{0}: the class.</summary>
    public static readonly DiagnosticDescriptor ModelWithoutSupervisedBase = Rule(
        "ARC0002",
        "[Model] class needs a SupervisedModel<X, Y> base",
        "'{0}' is marked [Model] but does not derive from Arc.Types.SupervisedModel<X, Y>; derive from SupervisedModel<X, Y> or remove [Model]",
        "Arc creates, fits and serves a model through SupervisedModel<X, Y> (namespace Arc.Types), where X and Y are the data types sent over the wire. A class (or record or struct) without that base cannot be registered as a model.");

    /// <summary>{0}: the class.</summary>
    public static readonly DiagnosticDescriptor JobWithoutSupervisedBase = Rule(
        "ARC0003",
        "[Job] class needs a SupervisedJob<X, Y> base",
        "'{0}' is marked [Job] but does not derive from Arc.Sdk.SupervisedJob<X, Y>; derive from SupervisedJob<X, Y> or remove [Job]",
        "Arc runs a job through SupervisedJob<X, Y> (namespace Arc.Sdk), where X and Y are the data types of its batches. A class (or record or struct) without that base cannot be registered as a job.");

    /// <summary>{0}: parameter, {1}: owner, {2}: type, {3}: why.</summary>
    public static readonly DiagnosticDescriptor HyperparameterNotSerializable = Rule(
        "ARC0004",
        "Hyperparameter cannot be serialized",
        "Parameter '{0}' of '{1}' has type '{2}', which Arc cannot serialize ({3}); use bool, an integer type, float, double, decimal, string, an enum, an Arc data type, or an array, IReadOnlyList<T> or nullable of those",
        "The public constructor's parameters of a [Model] or [Job] class become its Hyperparameters (or Parameters) record, which travels to the worker as MessagePack and is stored with each artifact, so every parameter needs a type Arc can write and read back, passed by value.");

    /// <summary>{0}: role (input, output, parameter 'x', return value), {1}: type, {2}: owner, {3}: how to fix.</summary>
    public static readonly DiagnosticDescriptor DataTypeNotSerializable = Rule(
        "ARC0005",
        "Data type cannot be serialized",
        "The {0} type '{1}' of '{2}' cannot be sent over the wire; {3}",
        "A model's or job's X and Y, and a pod's parameters and result, are sent between processes. X and Y must be Arc data types (IArcData<T>); pod parameters and results may also be the simple types Arc serializes, and are passed by value.");

    /// <summary>{0}: kind, {1}: name, {2}: this owner, {3}: the other owner.</summary>
    public static readonly DiagnosticDescriptor DuplicateName = Rule(
        "ARC0006",
        "Duplicate Arc name",
        "The {0} name '{1}' is used by both '{2}' and '{3}'; names must be unique, so set a different Name on one of them",
        "Workers, artifacts and clients find a model, job or pod by its registered name, so two of one kind with the same name would be ambiguous and the second registration would throw when the assembly loads. Models, jobs and pods have separate names: a model and a job may share one.");

    /// <summary>{0}: the class, {1}: how many public constructors it has.</summary>
    public static readonly DiagnosticDescriptor NoSingleConstructor = Rule(
        "ARC0007",
        "Arc class needs exactly one public constructor",
        "'{0}' has {1} public constructors; Arc takes the hyperparameters from exactly one, so keep one public constructor and make the others internal or private",
        "The generated parameter record has one property per parameter of the public constructor, and Create calls that constructor. With none or several there is no single list of hyperparameters to generate.");

    /// <summary>{0}: the method.</summary>
    public static readonly DiagnosticDescriptor PodNotStatic = Rule(
        "ARC0008",
        "[Pod] method must be static",
        "[Pod] method '{0}' must be a static method with a body, declared in a class; make it static (local, abstract and extern methods cannot be pods)",
        "A pod's registration calls the method from wire bytes with no instance at hand, so it must be a static method with a body that the generated code can name: not an instance method, a local function, or an abstract or extern method.");

    /// <summary>{0}: parameter, {1}: owner, {2}: kind.</summary>
    public static readonly DiagnosticDescriptor HyperparameterWithoutDefault = Rule(
        "ARC0009",
        "Hyperparameter needs a default value",
        "Parameter '{0}' of '{1}' has no default value; give it one (e.g. '{0} = ...') so the {2} can be created from its defaults",
        "A model or job must be creatable from its defaults alone (new Hyperparameters(), DevelopAsync(target)), and a request that leaves a key out gets the default, so every hyperparameter needs a default value.");

    /// <summary>{0}: the type, {1}: its accessibility.</summary>
    public static readonly DiagnosticDescriptor TypeNotAccessible = Rule(
        "ARC0010",
        "Arc type must be visible in its assembly",
        "'{0}' is {1}; [Model], [Job] and [Pod] types, and the types that contain them, must be public or internal so the generated registration can reach them",
        "The generated module initializer registers the type (or the pod's registration field) from outside it, at assembly level. A private, protected, private protected or file-local type, or one nested in such a type, is out of its reach.");

    /// <summary>{0}: the class, {1}: the attribute.</summary>
    public static readonly DiagnosticDescriptor AbstractClass = Rule(
        "ARC0011",
        "Arc class cannot be abstract",
        "'{0}' is abstract, so Arc cannot create it; mark a concrete subclass {1} instead",
        "Arc creates an instance of every [Model] and [Job] class from its parameter record; an abstract class has no instances. A shared abstract base needs no attribute: put it on the concrete subclasses.");

    /// <summary>{0}: the type or method.</summary>
    public static readonly DiagnosticDescriptor GenericDeclaration = Rule(
        "ARC0012",
        "Arc declaration cannot be generic",
        "'{0}' is generic or declared in a generic type; Arc registers one concrete type or method per name, so use a non-generic one (e.g. a closed subclass)",
        "A registered name stands for one concrete type or method. With type parameters Arc could not know which construction to register, nor how to serialize a value of an open type.");

    /// <summary>{0}: the name, {1}: kind.</summary>
    public static readonly DiagnosticDescriptor InvalidName = Rule(
        "ARC0013",
        "Invalid Arc name",
        "'{0}' is not a valid {1} name: use 1-128 characters of letters, digits, '_', '.' and '-', starting with a letter, digit or '_'; set Name explicitly",
        "Registered names end up in artifact references (OCI tags), so they are limited to 1-128 ASCII letters, digits, '_', '.' and '-', not starting with '.' or '-'. The default name (the class name in lower case, or Type.Method for a pod) inherits any other character from the declaration, so such a declaration needs an explicit Name.");

    /// <summary>{0}: parameter, {1}: owner, {2}: property, {3}: the clash.</summary>
    public static readonly DiagnosticDescriptor ParameterNameConflict = Rule(
        "ARC0014",
        "Parameter name conflicts in the generated record",
        "Parameter '{0}' of '{1}' becomes the property '{2}', which {3}; rename the parameter",
        "Each parameter becomes a property of a generated record, its name in PascalCase. Two parameters that map to one property, or a property named like the record itself or like a member every record has (ToString, Equals, ...), would not compile.");

    /// <summary>{0}: the type, {1}: the method name.</summary>
    public static readonly DiagnosticDescriptor PodOverloaded = Rule(
        "ARC0015",
        "[Pod] methods cannot be overloaded",
        "'{0}' has more than one [Pod] method named '{1}'; give each pod method its own name",
        "A pod is registered and called by name, and its generated argument record, registration field and remote form are named after the method, so overloads would share all of them.");

    /// <summary>{0}: the type, {1}: the taken name, {2}: what the generator puts there, {3}: the pod method.</summary>
    public static readonly DiagnosticDescriptor PodGeneratedNameTaken = Rule(
        "ARC0016",
        "A name the [Pod] generator needs is taken",
        "'{0}' already has a member named '{1}', which is the name of the generated {2} of the pod method '{3}'; rename that member or the pod method",
        "For a [Pod] method M the generator adds the registration field MPod and the remote form MRemoteAsync (without a trailing Async of M) to the same type. If a member already has one of these names, or two pod methods (Scale and ScaleAsync) map to the same one, the generated code would not compile.");

    /// <summary>{0}: the attribute, {1}: the class, {2}: what does not fit.</summary>
    public static readonly DiagnosticDescriptor ContractDoesNotFit = Rule(
        "ARC0020",
        "Contract attribute does not fit the class",
        "{0} on '{1}' {2}",
        "A contract attribute states what one side (X or Y) of a model or job must look like, so it must speak about that side's type ([ImageContract] about ImageData, [TableContract] about TableData, [TextContract] about TextData, [ClassContract] about ClassData or LabelData), state each side once, and hold values a batch can have. The generator builds the class's DataContract from it, which every boundary checks.");

    /// <summary>{0}: parameter, {1}: class, {2}: type, {3}: why.</summary>
    public static readonly DiagnosticDescriptor ParameterNotBindable = Rule(
        "ARC0017",
        "Parameter cannot be set on the command line",
        "Parameter '{0}' of '{1}' has type '{2}', which the generated command line cannot bind ({3}); it keeps its default there. Use a scalar, string, enum, or an array of those, or suppress ARC0017 if the default is what a command-line run needs",
        "The generated command line (ArcCommandLine, when the program references Arc.CommandLine) turns each constructor parameter into an option. A parameter whose type has no text form gets no option: command-line runs always use its default. The class itself is generated and works as before.",
        DiagnosticSeverity.Warning);

    /// <summary>{0}: the class.</summary>
    public static readonly DiagnosticDescriptor ProcessorWithoutBase = Rule(
        "ARC0040",
        "[Processor] class needs a DatasetProcessor base",
        "'{0}' is marked [Processor] but does not derive from Arc.Datasets.DatasetProcessor<TRawX, TRawY, X, Y, TState>; derive from it or remove [Processor]",
        "Arc fits a processor on a dataset's training split, keeps its fitted state in processor.arc and loads it back through DatasetProcessor<TRawX, TRawY, X, Y, TState> (namespace Arc.Datasets), whose TState names the fitted state. A class without that base has no state Arc could keep.");

    /// <summary>{0}: what (a parameter or the state), {1}: the processor, {2}: why and how to fix it.</summary>
    public static readonly DiagnosticDescriptor ProcessorDataNotCarried = Rule(
        "ARC0041",
        "Processor parameter or state cannot be kept as data",
        "{0} of processor '{1}' cannot be kept as data: {2}",
        "A processor's parameters and fitted state are written to meta.json and processor.arc as data, never as code or type names, and read back into a new processor when the dataset is opened. The generator writes both formatters, so every constructor parameter must have a property of the same name (in PascalCase) and type to read it back from, and the state type must have one public constructor whose parameters are wire types (numbers, strings, enums, Arc data types, arrays and lists of those), each with a property of the same name to read it back from, as a positional record has.");

    private static DiagnosticDescriptor Rule(string id, string title, string message, string description, DiagnosticSeverity severity = DiagnosticSeverity.Error)
        => new(id, title, message, Category, severity, isEnabledByDefault: true,
            description: description, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
