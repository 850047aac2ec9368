using TorchSharp;
using System.Reflection;
using Xunit;

namespace Arc.Architecture.Tests;

/// <summary>
/// Arc's own code never turns a number into a TorchSharp <c>Scalar</c> implicitly (<c>t - 0.5f</c>, <c>t.ge(0.5)</c>):
/// such a Scalar is dropped as soon as its handle reaches native code, and a collection during the call can finalize
/// it while libtorch still reads it (src/Arc.Torch/TorchGcSafety.cs). Arc writes <c>using var s = 0.5f.ToScalar()</c>,
/// which keeps the Scalar alive to the end of the call. Found by reading every method's IL for calls to
/// <c>Scalar.op_Implicit</c> and to <c>Tensor</c> operators that take a number.
/// </summary>
public sealed class ImplicitScalarTests
{
    public static TheoryData<string> Assemblies => new(AssemblyGraph.Allowed.Keys.Where(a => a != "Arc.Generators"));

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Arc_creates_no_implicit_torch_scalars(string assembly)
    {
        var offenders = ImplicitScalarCalls(AssemblyGraph.Load(assembly)).ToArray();
        Assert.True(offenders.Length == 0,
            $"{assembly} turns numbers into TorchSharp Scalars implicitly (use an explicit `using var s = x.ToScalar()`):\n  " + string.Join("\n  ", offenders));
    }

    [Fact]
    public void The_scan_finds_an_implicit_scalar_where_there_is_one()
    {
        var found = ImplicitScalarCalls(typeof(ImplicitScalarTests).Assembly).ToArray();
        Assert.Contains(found, f => f.Contains(nameof(Examples.Implicit), StringComparison.Ordinal) && f.Contains("op_Subtraction", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains(nameof(Examples.ImplicitArgument), StringComparison.Ordinal) && f.Contains("op_Implicit", StringComparison.Ordinal));
        Assert.DoesNotContain(found, f => f.Contains(nameof(Examples.Explicit), StringComparison.Ordinal));
    }

    /// <summary>"Type.Method calls Callee" for every call in <paramref name="assembly"/> that makes a Scalar from a number.</summary>
    private static IEnumerable<string> ImplicitScalarCalls(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.OfType<Type>().ToArray(); }
        foreach (var type in types)
            foreach (var method in IlCalls.MethodsOf(type, all))
                foreach (var callee in IlCalls.Callees(method))
                    if (IlCalls.MakesScalarFromNumber(callee))
                        yield return $"{type.FullName}.{method.Name} calls {callee.DeclaringType?.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})";
    }

    /// <summary>What the scan must find and must not, compiled into this test assembly.</summary>
    private static class Examples
    {
        public static TorchSharp.torch.Tensor Implicit(TorchSharp.torch.Tensor t) => t - 0.5f;

        public static TorchSharp.torch.Tensor ImplicitArgument(TorchSharp.torch.Tensor t) => t.ge(0.5);

        public static TorchSharp.torch.Tensor Explicit(TorchSharp.torch.Tensor t)
        {
            using var half = 0.5f.ToScalar();
            return t.sub(half);
        }
    }
}
