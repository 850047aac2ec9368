using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
#if ARC_WITHOUT_MSBUILD
namespace Arc.Interactive;
#else
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks every method of TorchSharp.dll that calls into libtorch (calls one of its P/Invoke methods)
/// <c>NoOptimization | NoInlining</c>, so that its arguments and locals stay alive until it returns.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 passes raw handles of Scalars and Tensors to native code without keeping the objects alive
/// (upstream: dotnet/TorchSharp PR 1496). Optimized code stops reporting an argument to the garbage collector after its
/// last use, which is reading its handle, so a collection on another thread during the native call can finalize the
/// Scalar and free the value libtorch is still reading ("Unknown scalar type", "Expected false to be true"). Unoptimized
/// code reports every argument and local for the whole method: for a method such as
/// <c>Tensor.add_(Scalar other, Scalar alpha)</c> the Scalars are then alive throughout its native call. A Scalar made
/// inside a method and handed to native code without ever being stored (a few such sites in 0.107, listed in
/// docs/torchsharp-scalars.md) stays unprotected. The edit flips bits in the MethodDef table's ImplFlags column, in place;
/// no IL changes. The file's strong-name signature no longer matches, which .NET does not check.
/// Idempotent: a file already marked is not rewritten.
/// </remarks>
public sealed class ArcKeepTorchSharpArgumentsAlive : Task
{
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var data = File.ReadAllBytes(path);
                int changed = TorchSharpArgumentLifetime.Mark(data);
                if (changed == 0) continue;
                var temp = path + ".arc-patch";
                File.WriteAllBytes(temp, data);
                // Delete then move: the output copy may be a hard link into the NuGet cache, which must stay untouched.
                File.Delete(path);
                File.Move(temp, path);
                Log.LogMessage(MessageImportance.Normal, "Arc: kept the arguments of {0} native-calling methods alive in {1}", changed, path);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException || e is BadImageFormatException)
            {
                Log.LogError("Arc: could not mark {0}'s native-calling methods unoptimized (TorchSharp Scalar lifetime fix): {1}", path, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }
}
#endif

/// <summary>
/// The edit itself, apart from MSBuild: Arc.Interactive compiles this file too (with ARC_WITHOUT_MSBUILD), to mark the
/// TorchSharp.dll of a notebook's workers, which no build copies. It reads the PE and
/// metadata tables by hand (ECMA-335 II.22–II.25): an inline task compiles against netstandard, where
/// System.Reflection.Metadata is not available.
/// </summary>
internal static class TorchSharpArgumentLifetime
{
    /// <summary>The implementation flags every native-calling method gets.</summary>
    public const MethodImplAttributes Flags = MethodImplAttributes.NoOptimization | MethodImplAttributes.NoInlining;

    private const int MethodDefTable = 0x06;
    private const ushort PinvokeImpl = 0x2000;

    /// <summary>Marks <paramref name="image"/>'s native-calling methods in place; returns how many it changed.</summary>
    /// <exception cref="InvalidDataException">Not a .NET assembly laid out as ECMA-335 says.</exception>
    public static int Mark(byte[] image)
    {
        try
        {
            var sections = Sections(image);
            var methods = MethodRows(image, sections);
            var native = new HashSet<int>();
            for (int row = 0; row < methods.Count; row++)
                if ((U16(image, methods[row] + 6) & PinvokeImpl) != 0) native.Add(MethodDefTable << 24 | row + 1);
            int changed = 0;
            foreach (int at in methods)
            {
                uint rva = U32(image, at);
                if (rva == 0 || !Calls(image, ILCode(image, sections, rva), native)) continue;
                ushort flags = U16(image, at + 4);
                ushort marked = (ushort)(flags | (ushort)Flags);
                if (marked == flags) continue;
                image[at + 4] = (byte)marked;
                image[at + 5] = (byte)(marked >> 8);
                changed++;
            }
            return changed;
        }
        catch (Exception e) when (e is IndexOutOfRangeException || e is ArgumentOutOfRangeException || e is KeyNotFoundException)
        {
            throw new InvalidDataException("not a .NET assembly laid out as expected: " + e.Message, e);
        }
    }

    /// <summary>The file offset of every MethodDef row (RVA 4 bytes, ImplFlags 2, Flags 2, ...).</summary>
    /// <summary>Where the section table starts and how many sections it has.</summary>
    private static (int Table, int Count) Sections(byte[] image)
    {
        int pe = (int)U32(image, 0x3C);
        if (U32(image, pe) != 0x00004550) throw new InvalidDataException("no PE signature");
        return (pe + 24 + U16(image, pe + 20), U16(image, pe + 6));
    }

    private static List<int> MethodRows(byte[] image, (int Table, int Count) sections)
    {
        int optional = (int)U32(image, 0x3C) + 24;
        int directories = optional + (U16(image, optional) == 0x20B ? 112 : 96);
        int cli = FileOffset(image, sections, U32(image, directories + 14 * 8));
        int root = FileOffset(image, sections, U32(image, cli + 8));
        if (U32(image, root) != 0x424A5342) throw new InvalidDataException("no metadata signature");
        int at = root + 16 + (int)U32(image, root + 12) + 2;
        int streamCount = U16(image, at);
        at += 2;
        int tables = -1;
        for (int i = 0; i < streamCount; i++)
        {
            int offset = (int)U32(image, at);
            int nameStart = at + 8, nameEnd = nameStart;
            while (image[nameEnd] != 0) nameEnd++;
            string name = System.Text.Encoding.ASCII.GetString(image, nameStart, nameEnd - nameStart);
            if (name == "#~" || name == "#-") tables = root + offset;
            at = nameStart + ((nameEnd - nameStart + 4) & ~3);
        }
        if (tables < 0) throw new InvalidDataException("no metadata tables stream");
        byte heapSizes = image[tables + 6];
        ulong valid = BitConverter.ToUInt64(image, tables + 8);
        var rows = new int[64];
        at = tables + 24;
        for (int t = 0; t < 64; t++)
            if ((valid >> t & 1) != 0) { rows[t] = (int)U32(image, at); at += 4; }
        if ((heapSizes & 0x40) != 0) at += 4; // extra data
        int str = (heapSizes & 1) != 0 ? 4 : 2, guid = (heapSizes & 2) != 0 ? 4 : 2, blob = (heapSizes & 4) != 0 ? 4 : 2;
        int Index(int table) => rows[table] < 0x10000 ? 2 : 4;
        int Coded(int tagBits, params int[] of) => of.Max(t => rows[t]) < 1 << (16 - tagBits) ? 2 : 4;
        int typeDefOrRef = Coded(2, 0x02, 0x01, 0x1B);
        int resolutionScope = Coded(2, 0x00, 0x1A, 0x23, 0x01);
        var rowSize = new int[]
        {
            2 + str + 3 * guid,                                      // Module
            resolutionScope + 2 * str,                               // TypeRef
            4 + 2 * str + typeDefOrRef + Index(0x04) + Index(0x06),  // TypeDef
            Index(0x04),                                             // FieldPtr
            2 + str + blob,                                          // Field
            Index(0x06),                                             // MethodPtr
            4 + 2 + 2 + str + blob + Index(0x08),                    // MethodDef
        };
        for (int t = 0; t < MethodDefTable; t++) at += rows[t] * rowSize[t];
        var methods = new List<int>(rows[MethodDefTable]);
        for (int row = 0; row < rows[MethodDefTable]; row++) methods.Add(at + row * rowSize[MethodDefTable]);
        return methods;
    }

    private static int FileOffset(byte[] image, (int Table, int Count) sections, uint rva)
    {
        for (int i = 0; i < sections.Count; i++)
        {
            int section = sections.Table + i * 40;
            uint start = U32(image, section + 12), size = Math.Max(U32(image, section + 8), U32(image, section + 16));
            if (rva >= start && rva < start + size) return (int)(U32(image, section + 20) + (rva - start));
        }
        throw new InvalidDataException($"RVA 0x{rva:X} lies in no section");
    }

    /// <summary>The file range of a method body's IL (tiny or fat header, ECMA-335 II.25.4).</summary>
    private static ArraySegment<byte> ILCode(byte[] image, (int Table, int Count) sections, uint rva)
    {
        int at = FileOffset(image, sections, rva);
        byte first = image[at];
        return (first & 3) == 2
            ? new ArraySegment<byte>(image, at + 1, first >> 2)
            : new ArraySegment<byte>(image, at + 4 * (U16(image, at) >> 12), (int)U32(image, at + 4));
    }

    /// <summary>Whether <paramref name="il"/> calls a method whose token is in <paramref name="targets"/>.</summary>
    private static bool Calls(byte[] image, ArraySegment<byte> il, HashSet<int> targets)
    {
        int end = il.Offset + il.Count;
        for (int i = il.Offset; i < end;)
        {
            var op = image[i] == 0xFE ? TwoByte[image[i + 1]] : OneByte[image[i]];
            i += op.Size;
            if ((op == OpCodes.Call || op == OpCodes.Callvirt) && targets.Contains(BitConverter.ToInt32(image, i))) return true;
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(image, i),
                _ => 4,
            };
        }
        return false;
    }

    private static ushort U16(byte[] data, int at) => (ushort)(data[at] | data[at + 1] << 8);
    private static uint U32(byte[] data, int at) => BitConverter.ToUInt32(data, at);

    private static readonly Dictionary<byte, OpCode> OneByte = OpCodesOfSize(1);
    private static readonly Dictionary<byte, OpCode> TwoByte = OpCodesOfSize(2);

    private static Dictionary<byte, OpCode> OpCodesOfSize(int size)
        => typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .Where(op => op.Size == size)
            .ToDictionary(op => (byte)(op.Value & 0xFF));
}
