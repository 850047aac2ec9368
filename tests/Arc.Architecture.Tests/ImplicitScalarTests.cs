using TorchSharp;
using System.Reflection;
using System.Reflection.Emit;
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
            foreach (var method in MethodsOf(type, all))
                foreach (var callee in Callees(method))
                    if (MakesScalarFromNumber(callee))
                        yield return $"{type.FullName}.{method.Name} calls {callee.DeclaringType?.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})";
    }

    /// <summary>
    /// The type's methods and constructors; none where the type's members cannot be loaded here (Arc.Interactive's
    /// kernel extension derives from a notebook package that the tests do not carry, and it does no tensor maths).
    /// </summary>
    private static IEnumerable<MethodBase> MethodsOf(Type type, BindingFlags flags)
    {
        try { return [.. type.GetMethods(flags), .. type.GetConstructors(flags)]; }
        catch (Exception e) when (e is FileNotFoundException or TypeLoadException) { return []; }
    }

    private static bool MakesScalarFromNumber(MethodBase callee)
    {
        string? owner = callee.DeclaringType?.FullName;
        if (owner == "TorchSharp.Scalar") return callee.Name == "op_Implicit";
        return owner == "TorchSharp.torch+Tensor" && callee.Name.StartsWith("op_", StringComparison.Ordinal)
               && callee.GetParameters().Any(p => p.ParameterType.IsPrimitive);
    }

    /// <summary>The methods <paramref name="method"/>'s IL calls (call, callvirt, newobj), where their tokens resolve.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (e is InvalidOperationException or BadImageFormatException or FileNotFoundException or TypeLoadException) { yield break; } // locals typed from a package the tests lack
        if (il is null) yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            var op = il[i] == 0xFE ? TwoByte[il[i + 1]] : OneByte[il[i]];
            i += op.Size;
            if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj)
            {
                MethodBase? callee = null;
                try { callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArguments, methodArguments); }
                catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or MissingMemberException or BadImageFormatException) { }
                if (callee is not null) yield return callee;
            }
            i += OperandSize(op, il, i);
        }
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

    private static readonly Dictionary<byte, OpCode> OneByte = OpCodesOfSize(1);
    private static readonly Dictionary<byte, OpCode> TwoByte = OpCodesOfSize(2);

    private static Dictionary<byte, OpCode> OpCodesOfSize(int size)
        => typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .Where(op => op.Size == size)
            .ToDictionary(op => (byte)(op.Value & 0xFF));

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
