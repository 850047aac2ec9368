using System.Reflection;
using System.Reflection.Emit;
using Xunit;

namespace Arc.Architecture.Tests;

/// <summary>
/// Arc's build marks every method of the copied TorchSharp.dll that calls libtorch <c>NoOptimization | NoInlining</c>
/// (build/KeepTorchSharpArgumentsAlive.cs), so the Scalars and Tensors it gets as arguments or keeps in locals stay
/// alive through its native calls. These tests read the TorchSharp.dll the tests run, which the same build marked: with
/// reflection, not with the build task's own metadata reader, so a mistake in that reader shows here.
/// </summary>
public sealed partial class TorchSharpScalarSurfaceTests
{
    private const string UnstoredSection = "## Scalars the build's mark cannot keep alive";
    private const MethodImplAttributes KeptAlive = MethodImplAttributes.NoOptimization | MethodImplAttributes.NoInlining;
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    [Fact]
    public void Every_TorchSharp_method_that_calls_libtorch_carries_the_builds_mark()
    {
        var calling = AllMethods().Where(m => IlCalls.Callees(m).Any(IsNative)).ToList();
        Assert.True(calling.Count > 1000, $"only {calling.Count} TorchSharp methods call libtorch: the scan is not reading TorchSharp");
        var unmarked = calling.Where(m => (m.MethodImplementationFlags & KeptAlive) != KeptAlive)
            .Select(m => $"{m.DeclaringType}.{m.Name}").ToList();
        Assert.True(unmarked.Count == 0,
            $"{unmarked.Count} of {calling.Count} native-calling methods of {typeof(TorchSharp.Scalar).Assembly.Location} are not marked, e.g. {string.Join(", ", unmarked.Take(5))}");
    }

    [Fact]
    public void The_Scalars_TorchSharp_hands_to_libtorch_without_storing_them_are_the_documented_ones()
    {
        // The mark keeps arguments and locals alive; a Scalar made and handed over in one expression
        // (Native(x.ToScalar().Handle)) lives only in a register, which unoptimized code does not report either.
        var found = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var method in AllMethods())
        {
            MethodBase? previous = null;
            foreach (var (op, callee) in IlCalls.Instructions(method))
            {
                if (callee is { Name: "get_Handle" } && callee.DeclaringType == typeof(TorchSharp.Scalar) && MakesScalar(previous))
                {
                    string owner = DisplayName(Owner(method.DeclaringType!));
                    if (!found.TryGetValue(owner, out var names)) found[owner] = names = new(StringComparer.Ordinal);
                    names.Add(VisibleName(method) ?? method.Name);
                }
                previous = op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj ? callee : null;
            }
        }
        Assert.Contains("vector_norm", found["TorchSharp.torch.linalg"]); // the scan sees the case it is for
        var documented = DocumentedList(UnstoredSection);
        string expected = string.Join('\n', found.Select(entry => $"- `{entry.Key}`: {string.Join(", ", entry.Value)}"));
        Assert.True(documented.Count == found.Count && found.All(entry => documented.TryGetValue(entry.Key, out var names) && names.SequenceEqual(entry.Value)),
            $"{Document}'s section \"{UnstoredSection}\" does not list what TorchSharp {typeof(TorchSharp.Scalar).Assembly.GetName().Version}'s IL says; it should read:\n{expected}");
    }

    private static IEnumerable<MethodBase> AllMethods()
    {
        Type[] types;
        try { types = typeof(TorchSharp.Scalar).Assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.OfType<Type>().ToArray(); }
        return types.SelectMany(t => IlCalls.MethodsOf(t, Declared));
    }

    private static bool IsNative(MethodBase method) => method.Attributes.HasFlag(MethodAttributes.PinvokeImpl);

    /// <summary>Whether a call's result is a Scalar it made: a conversion, <c>ToScalar</c> or the constructor.</summary>
    private static bool MakesScalar(MethodBase? callee) => callee switch
    {
        ConstructorInfo constructor => constructor.DeclaringType == typeof(TorchSharp.Scalar),
        MethodInfo method => method.ReturnType == typeof(TorchSharp.Scalar),
        _ => false,
    };
}
