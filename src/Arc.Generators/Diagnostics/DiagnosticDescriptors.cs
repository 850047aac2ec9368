using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>
/// Every diagnostic Arc's generators report. IDs are stable (documented in AnalyzerReleases.*.md); each message
/// says what is wrong and how to fix it. All are errors: the generated code for the declaration is not emitted.
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

    /// <summary>{0}: the type that must be partial.</summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = Error(
        "ARC0001",
        "Arc type must be partial",
        "'{0}' must be declared partial because Arc generates code into it; add the 'partial' modifier to '{0}'");

    /// <summary>{0}: the class.</summary>
    public static readonly DiagnosticDescriptor ModelWithoutSupervisedBase = Error(
        "ARC0002",
        "[Model] class needs a SupervisedModel<X, Y> base",
        "'{0}' is marked [Model] but does not derive from Arc.SupervisedModel<X, Y>; derive from SupervisedModel<TInput, TOutput> or remove [Model]");

    /// <summary>{0}: the class.</summary>
    public static readonly DiagnosticDescriptor JobWithoutSupervisedBase = Error(
        "ARC0003",
        "[Job] class needs a SupervisedJob<X, Y> base",
        "'{0}' is marked [Job] but does not derive from Arc.SupervisedJob<X, Y>; derive from SupervisedJob<TInput, TTarget> or remove [Job]");

    /// <summary>{0}: parameter, {1}: owner, {2}: type, {3}: why.</summary>
    public static readonly DiagnosticDescriptor HyperparameterNotSerializable = Error(
        "ARC0004",
        "Hyperparameter cannot be serialized",
        "Parameter '{0}' of '{1}' has type '{2}', which Arc cannot serialize ({3}); use bool, an integer type, float, double, decimal, string, an enum, an Arc data type, or an array, IReadOnlyList<T> or nullable of those");

    /// <summary>{0}: role (input, output, parameter 'x', return value), {1}: type, {2}: owner, {3}: how to fix.</summary>
    public static readonly DiagnosticDescriptor DataTypeNotSerializable = Error(
        "ARC0005",
        "Data type cannot be serialized",
        "The {0} type '{1}' of '{2}' cannot be sent over the wire; {3}");

    /// <summary>{0}: kind, {1}: name, {2}: this owner, {3}: the other owner.</summary>
    public static readonly DiagnosticDescriptor DuplicateName = Error(
        "ARC0006",
        "Duplicate Arc name",
        "The {0} name '{1}' is used by both '{2}' and '{3}'; names must be unique, so set a different Name on one of them");

    /// <summary>{0}: the class, {1}: how many public constructors it has.</summary>
    public static readonly DiagnosticDescriptor NoSingleConstructor = Error(
        "ARC0007",
        "Arc class needs exactly one public constructor",
        "'{0}' has {1} public constructors; Arc takes the hyperparameters from exactly one, so keep one public constructor and make the others internal or private");

    /// <summary>{0}: the method.</summary>
    public static readonly DiagnosticDescriptor PodNotStatic = Error(
        "ARC0008",
        "[Pod] method must be static",
        "[Pod] method '{0}' must be a static method with a body, declared in a class; make it static (local, abstract and extern methods cannot be pods)");

    /// <summary>{0}: parameter, {1}: owner, {2}: kind.</summary>
    public static readonly DiagnosticDescriptor HyperparameterWithoutDefault = Error(
        "ARC0009",
        "Hyperparameter needs a default value",
        "Parameter '{0}' of '{1}' has no default value; give it one (e.g. '{0} = ...') so the {2} can be created from its defaults");

    /// <summary>{0}: the type, {1}: its accessibility.</summary>
    public static readonly DiagnosticDescriptor TypeNotAccessible = Error(
        "ARC0010",
        "Arc type must be visible in its assembly",
        "'{0}' is {1}; [Model], [Job] and [Pod] types, and the types that contain them, must be public or internal so the generated registration can reach them");

    /// <summary>{0}: the class, {1}: the attribute.</summary>
    public static readonly DiagnosticDescriptor AbstractClass = Error(
        "ARC0011",
        "Arc class cannot be abstract",
        "'{0}' is abstract, so Arc cannot create it; mark a concrete subclass {1} instead");

    /// <summary>{0}: the type or method.</summary>
    public static readonly DiagnosticDescriptor GenericDeclaration = Error(
        "ARC0012",
        "Arc declaration cannot be generic",
        "'{0}' is generic or declared in a generic type; Arc registers one concrete type or method per name, so use a non-generic one (e.g. a closed subclass)");

    /// <summary>{0}: the name, {1}: kind.</summary>
    public static readonly DiagnosticDescriptor InvalidName = Error(
        "ARC0013",
        "Invalid Arc name",
        "'{0}' is not a valid {1} name: use 1-128 characters of letters, digits, '_', '.' and '-', starting with a letter, digit or '_'; set Name explicitly");

    /// <summary>{0}: parameter, {1}: owner, {2}: property, {3}: the clash.</summary>
    public static readonly DiagnosticDescriptor ParameterNameConflict = Error(
        "ARC0014",
        "Parameter name conflicts in the generated record",
        "Parameter '{0}' of '{1}' becomes the property '{2}', which {3}; rename the parameter");

    /// <summary>{0}: the type, {1}: the method name.</summary>
    public static readonly DiagnosticDescriptor PodOverloaded = Error(
        "ARC0015",
        "[Pod] methods cannot be overloaded",
        "'{0}' has more than one [Pod] method named '{1}'; give each pod method its own name");

    /// <summary>{0}: the type, {1}: the taken name, {2}: what the generator puts there, {3}: the pod method.</summary>
    public static readonly DiagnosticDescriptor PodGeneratedNameTaken = Error(
        "ARC0016",
        "A name the [Pod] generator needs is taken",
        "'{0}' already has a member named '{1}', which is the name of the generated {2} of the pod method '{3}'; rename that member or the pod method");

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: null);
}
