using System.Runtime.InteropServices;
using System.Text.Json;
using Arc.Types;

namespace Arc.Serving;

/// <summary>
/// Reads the <c>data</c> of an Open Inference Protocol JSON tensor — flat or nested arrays, in row-major order —
/// straight into an array of its element type: one pass counts the elements, one fills the array, and nothing is
/// held per element in between. A value of the wrong kind is refused with its flat index
/// (<c>inputs[0].data[5]</c>). An infer request reads its numbers with <see cref="OipNumberArray"/> first; this is the
/// path for what that declines (another order of the fields, BOOL and BYTES, anything to refuse).
/// </summary>
internal static class OipJsonData
{
    private delegate bool Reader<T>(JsonElement element, out T value);

    /// <summary>The number of values in <paramref name="data"/>, an array of values or of such arrays.</summary>
    /// <exception cref="OipRequestException"><paramref name="data"/> is not an array.</exception>
    public static int CountElements(JsonElement data, string field)
    {
        if (data.ValueKind != JsonValueKind.Array) throw new OipRequestException(field, "is not an array");
        return CountValues(data);
    }

    /// <summary>The <paramref name="count"/> values of <paramref name="data"/> as an array of <paramref name="dtype"/> shaped <paramref name="dims"/>.</summary>
    /// <exception cref="OipRequestException">A value is not of <paramref name="dtype"/>; the message names it (<paramref name="field"/><c>.data[i]</c>).</exception>
    public static ArcArray Numbers(JsonElement data, ArcDType dtype, int[] dims, int count, string field) => dtype switch
    {
        ArcDType.Float32 => ArcArray.From(Fill(data, new float[count], field, ReadSingle, e => NotFloating(e, "FP32")), dims),
        ArcDType.Float64 => ArcArray.From(Fill(data, new double[count], field, ReadDouble, e => NotFloating(e, "FP64")), dims),
        ArcDType.Int32 => ArcArray.From(Fill(data, new int[count], field, ReadInt32, e => $"is '{e}', not an INT32"), dims),
        ArcDType.Int64 => ArcArray.From(Fill(data, new long[count], field, ReadInt64, e => $"is '{e}', not an INT64"), dims),
        ArcDType.UInt8 => ArcArray.From(Fill(data, new byte[count], field, ReadByte, e => $"is '{e}', not a UINT8"), dims),
        ArcDType.Bool => ArcArray.From(Fill(data, new bool[count], field, ReadBool, e => $"is '{e}', not true or false (BOOL)"), dims),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not an element type of the protocol's tensors"),
    };

    /// <summary>The <paramref name="count"/> strings of BYTES <paramref name="data"/>.</summary>
    /// <exception cref="OipRequestException">A value is not a string; the message names it.</exception>
    public static string[] Strings(JsonElement data, int count, string field)
        => Fill(data, new string[count], field, ReadString, _ => "is not a string (BYTES data are strings)");

    private static int CountValues(JsonElement array)
    {
        int count = 0;
        foreach (var item in array.EnumerateArray())
            count += item.ValueKind == JsonValueKind.Array ? CountValues(item) : 1;
        return count;
    }

    private static T[] Fill<T>(JsonElement data, T[] into, string field, Reader<T> read, Func<JsonElement, string> why)
    {
        int at = 0;
        FillFrom(data, into, ref at, field, read, why);
        return into;
    }

    private static void FillFrom<T>(JsonElement array, T[] into, ref int at, string field, Reader<T> read, Func<JsonElement, string> why)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                FillFrom(item, into, ref at, field, read, why);
                continue;
            }
            if (!read(item, out into[at])) throw new OipRequestException($"{field}.data[{at}]", why(item));
            at++;
        }
    }

    // The values of an image or a table are mostly short decimals ("0.118"): those are read from their JSON text by
    // DecimalText's exact fast path, which costs a fraction of the general parser's time (784 of them in a digit); any
    // other number takes the general path. Both give the nearest value of the type, so the result is the same.
    private static bool ReadSingle(JsonElement e, out float value)
    {
        value = 0;
        if (e.ValueKind != JsonValueKind.Number) return false;
        if (DecimalText.TryParseSingle(JsonMarshal.GetRawUtf8Value(e), out value)) return true;
        return e.TryGetSingle(out value) && float.IsFinite(value);
    }

    private static bool ReadDouble(JsonElement e, out double value)
    {
        value = 0;
        if (e.ValueKind != JsonValueKind.Number) return false;
        if (DecimalText.TryParseDouble(JsonMarshal.GetRawUtf8Value(e), out value)) return true;
        return e.TryGetDouble(out value) && double.IsFinite(value);
    }

    private static string NotFloating(JsonElement e, string datatype)
        => e.ValueKind == JsonValueKind.Number ? $"is {e.GetRawText()}, beyond the range of {datatype}" : $"is {e.ValueKind}, not a number ({datatype})";

    private static bool ReadInt32(JsonElement e, out int value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out value);
    }

    private static bool ReadInt64(JsonElement e, out long value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value);
    }

    private static bool ReadByte(JsonElement e, out byte value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetByte(out value);
    }

    private static bool ReadBool(JsonElement e, out bool value)
    {
        value = e.ValueKind == JsonValueKind.True;
        return e.ValueKind is JsonValueKind.True or JsonValueKind.False;
    }

    private static bool ReadString(JsonElement e, out string value)
    {
        value = e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        return e.ValueKind == JsonValueKind.String;
    }
}
