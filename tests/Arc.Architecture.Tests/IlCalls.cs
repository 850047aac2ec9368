using System.Reflection;
using System.Reflection.Emit;

namespace Arc.Architecture.Tests;

/// <summary>Reads methods' IL for the calls they make, and says which calls turn a number into a TorchSharp Scalar.</summary>
internal static class IlCalls
{
    /// <summary>
    /// The type's methods and constructors; none where the type's members cannot be loaded here (Arc.Interactive's
    /// kernel extension derives from a notebook package that the tests do not carry, and it does no tensor maths).
    /// </summary>
    public static IEnumerable<MethodBase> MethodsOf(Type type, BindingFlags flags)
    {
        try { return [.. type.GetMethods(flags), .. type.GetConstructors(flags)]; }
        catch (Exception e) when (e is FileNotFoundException or TypeLoadException) { return []; }
    }

    /// <summary>
    /// Whether calling <paramref name="callee"/> turns a number into a Scalar: <c>Scalar.op_Implicit</c>, or a
    /// <c>Tensor</c> operator with a number operand (TorchSharp makes the Scalar inside it).
    /// </summary>
    public static bool MakesScalarFromNumber(MethodBase callee)
    {
        string? owner = callee.DeclaringType?.FullName;
        if (owner == "TorchSharp.Scalar") return callee.Name == "op_Implicit";
        return owner == "TorchSharp.torch+Tensor" && callee.Name.StartsWith("op_", StringComparison.Ordinal)
               && callee.GetParameters().Any(p => p.ParameterType.IsPrimitive);
    }

    /// <summary>The methods <paramref name="method"/>'s IL calls (call, callvirt, newobj), where their tokens resolve.</summary>
    public static IEnumerable<MethodBase> Callees(MethodBase method)
        => Instructions(method).Where(i => i.Callee is not null).Select(i => i.Callee!);

    /// <summary>
    /// <paramref name="method"/>'s IL instructions in order, each with the method it calls where it is a call, callvirt
    /// or newobj whose token resolves; none where the body cannot be read here.
    /// </summary>
    public static IEnumerable<(OpCode Op, MethodBase? Callee)> Instructions(MethodBase method)
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
            MethodBase? callee = null;
            if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj)
            {
                try { callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArguments, methodArguments); }
                catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or MissingMemberException or BadImageFormatException) { }
            }
            yield return (op, callee);
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

}
